package dev.rewind.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.data.SpooledFrames;
import dev.rewind.trainer.internal.lif.CheckpointExecutor;
import dev.rewind.trainer.internal.runner.ExecutorSettings;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.Surrogate;
import dev.rewind.trainer.schedule.DoubleCheckpointSchedule;
import dev.rewind.trainer.schedule.RevolveSchedule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frames streamed through a store come back bit for bit, in any order, and train exactly. */
class SpooledFramesTest {
  @TempDir Path dir;

  @Test
  void framesComeBackBitForBitInAnyOrder() throws IOException {
    long seed = Long.getLong("rewind.seed", 611L);
    SplittableRandom r = new SplittableRandom(seed);
    try (BlobStore store = BlobStores.localDisk(dir)) {
      for (int rep = 0; rep < 6; rep++) {
        FrameSource original = Cases.frames(r, 1 + r.nextInt(3), 50 + r.nextInt(300), 9, 3);
        int chunk = 1 + r.nextInt(40);
        int cached = 2 + r.nextInt(3);
        try (SpooledFrames spooled = new SpooledFrames(original, store, chunk, cached)) {
          int[] ia = new int[9];
          int[] ib = new int[9];
          float[] va = new float[9];
          float[] vb = new float[9];
          for (int k = 0; k < 3000; k++) {
            // mostly forward first, then anywhere (backward-like and random accesses)
            int t = k < original.steps() ? k : r.nextInt(original.steps());
            for (int b = 0; b < original.batchSize(); b++) {
              int n = original.fill(t, b, ia, va);
              assertEquals(n, spooled.fill(t, b, ib, vb), "count at t=" + t + " seed " + seed);
              for (int i = 0; i < n; i++) {
                assertEquals(ia[i], ib[i]);
                assertEquals(Float.floatToRawIntBits(va[i]), Float.floatToRawIntBits(vb[i]));
              }
            }
          }
          int chunks = (original.steps() + chunk - 1) / chunk;
          assertTrue(chunks <= cached || spooled.chunksRead() > 0, "chunks were read back");
        }
        assertEquals(0, store.storedBytes(), "close deletes the chunks");
      }
    }
  }

  @Test
  void schedulesOnStreamedLongMemoryFramesMatchStoreAll() throws IOException {
    ModelConfig config =
        new ModelConfig(
            24,
            List.of(new LayerConfig(32, true), new LayerConfig(24, false)),
            3,
            new Surrogate.Triangle(0.5));
    Parameters p = Parameters.initialise(config, 3, InitScheme.DEFAULT);
    LongMemoryStream task = new LongMemoryStream(2, 900, 24, 3, 20, 0.05, 17);
    BpttResult expected = new StoreAllBptt(config, 2).run(p, task);
    try (BlobStore store = BlobStores.localDisk(dir);
        CheckpointExecutor executor =
            new CheckpointExecutor(config, 2, store, ExecutorSettings.DEFAULT)) {
      for (var schedule :
          List.of(new RevolveSchedule(900, 5), new DoubleCheckpointSchedule(900, 200, 30))) {
        try (SpooledFrames frames = new SpooledFrames(task, store, 64, 3)) {
          CheckpointResult got = executor.run(p, frames, schedule);
          assertEquals(expected.loss(), got.loss(), schedule.description());
          assertArrayEquals(expected.gradient(), got.gradient(), schedule.description());
          assertTrue(frames.chunksRead() > 0, "the backward pass read chunks back");
        }
      }
      assertEquals(0, store.storedBytes());
    }
  }
}
