package dev.rewind.spark.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.CorruptFileException;
import dev.rewind.trainer.optim.AdamConfig;
import dev.rewind.trainer.optim.LearningRateSchedule;
import dev.rewind.trainer.optim.Optimizer;
import dev.rewind.trainer.training.EpochResult;
import dev.rewind.trainer.training.StepMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training state: exact round trip, only the newest kept, owner-only files, damage detected. */
class TrainingStateStoreTest {

  private static TrainingState state(long step) {
    Optimizer adam = AdamConfig.defaults(0.1).create(3, LearningRateSchedule.constant());
    float[] params = {1f, -2.5f, Float.MIN_VALUE};
    adam.step(params, new float[] {0.5f, -1f, 3f});
    return new TrainingState(
        "fp",
        1,
        2,
        step,
        params,
        adam.exportState(),
        List.of(new StepMetrics(0, 0, 1, 8, 0.69, 0.5, 1.25, 1024, 0.25, 1.5, 4096, 12.5, 0.5)),
        List.of(new EpochResult(1, 0.69, 0.5, 0.7, Double.NaN, 1.25, 3.5)));
  }

  @Test
  void roundTripsExactlyAndKeepsOnlyTheNewest(@TempDir Path dir) throws IOException {
    TrainingStateStore store = new TrainingStateStore(dir.toUri().toString(), new Configuration());
    assertTrue(store.latest().isEmpty());
    store.save(state(3));
    TrainingState saved = state(6);
    store.save(saved);
    TrainingState loaded = store.latest().orElseThrow();
    assertEquals(6, loaded.globalStep());
    assertEquals(1, loaded.epoch());
    assertEquals(2, loaded.stepInEpoch());
    assertEquals("fp", loaded.fingerprint());
    assertArrayEquals(saved.parameters(), loaded.parameters());
    assertEquals(saved.optimizer(), loaded.optimizer());
    assertEquals(saved.history(), loaded.history());
    assertEquals(saved.epochs(), loaded.epochs());
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.toList();
      List<String> names =
          all.stream()
              .map(p -> p.getFileName().toString())
              .filter(n -> !n.startsWith("."))
              .toList();
      assertEquals(List.of("state-6.bin"), names);
      for (Path file : all) {
        assertEquals(
            PosixFilePermissions.fromString("rw-------"),
            Files.getPosixFilePermissions(file),
            "permissions of " + file.getFileName());
      }
    }
  }

  @Test
  void everyFlippedByteIsDetected() throws IOException {
    byte[] bytes = TrainingStateStore.encode(state(1));
    for (int i = 0; i < bytes.length; i++) {
      byte[] damaged = bytes.clone();
      damaged[i] ^= 0x10;
      assertThrows(
          CorruptFileException.class,
          () -> TrainingStateStore.decode(damaged, "state"),
          "flip at byte " + i);
    }
  }
}
