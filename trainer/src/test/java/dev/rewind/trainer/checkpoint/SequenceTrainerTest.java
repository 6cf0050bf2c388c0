package dev.rewind.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.schedule.CostModel;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.ScheduleSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer API: calibrated, cached cost model; auto under a budget; streamed inputs; exact. */
class SequenceTrainerTest {
  @TempDir Path dir;

  @Test
  void autoWithinABudgetIsExactAndTheCalibrationIsCached() throws IOException {
    Cases c = Cases.draw(Long.getLong("rewind.seed", 909L), 700, 700);
    System.out.println("case " + c);
    BpttResult expected = new StoreAllBptt(c.config(), c.batch()).run(c.parameters(), c.frames());
    Path cache = dir.resolve("calibration");
    try (BlobStore disk = BlobStores.localDisk(dir.resolve("slow"))) {
      CostModel measured;
      String chosen;
      try (SequenceTrainer probe =
          new SequenceTrainer(
              c.config(),
              c.batch(),
              disk,
              TrainerSettings.of(ScheduleSpec.parse("store-all"), MemoryBudget.UNLIMITED, "disk")
                  .withCalibrationCache(cache))) {
        measured = probe.costModel(c.parameters(), c.frames());
        assertTrue(measured.forwardSeconds() > 0 && measured.reverseSeconds() > 0);
        assertTrue(measured.slow().writeSeconds() > 0 && measured.slow().readSeconds() > 0);
      }
      try (var files = Files.list(cache)) {
        assertEquals(1, files.count(), "one cached calibration");
      }
      // a quarter of store-all's memory
      MemoryBudget budget = new MemoryBudget(measured.bytes(0, c.steps() / 4));
      for (int chunk : new int[] {0, 64}) {
        try (SequenceTrainer trainer =
            new SequenceTrainer(
                c.config(),
                c.batch(),
                disk,
                TrainerSettings.of(ScheduleSpec.parse("auto"), budget, "disk")
                    .withCalibrationCache(cache)
                    .withInputChunkSteps(chunk))) {
          CheckpointResult got = trainer.gradient(c.parameters(), c.frames());
          assertEquals(measured, trainer.costModel(c.parameters(), c.frames()), "cache reused");
          chosen = got.metrics().schedule();
          System.out.println("auto chose " + chosen + ": " + got.metrics());
          assertTrue(!chosen.startsWith("store-all"), chosen);
          assertEquals(expected.loss(), got.loss());
          assertArrayEquals(expected.gradient(), got.gradient());
          assertTrue(got.metrics().peakTapeSteps() <= c.steps() / 4);
          assertEquals(chunk > 0, got.metrics().inputBytesWritten() > 0);
        }
      }
      assertEquals(0, disk.storedBytes());
    }
    assertTrue(List.of(cache.toFile().list()).get(0).endsWith(".json"));
  }
}
