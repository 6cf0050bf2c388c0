package dev.rewind.spark.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.trainer.optim.OptimizerState;
import dev.rewind.trainer.training.EpochResult;
import dev.rewind.trainer.training.StepMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The training-state format as written on 2026-12-03 (commit 202a17f, version 1): a file of that
 * code must keep reading, and today's encoder must keep writing exactly its bytes. A deliberate
 * format change adds a new golden file and keeps this one readable.
 */
class TrainingStateGoldenTest {
  private static final String FILE = "golden/state-step12-v1.bin";

  static TrainingState expected() {
    StepMetrics step =
        new StepMetrics(1, 3, 12, 16, 0.6931, 0.5, 0.25, 4096, 0.369, 1.5, 2_200_000, 107.0, 0.9);
    EpochResult epoch = new EpochResult(1, 0.69, 0.53, 0.68, 0.55, 0.3, 4.6);
    return new TrainingState(
        "fingerprint-7f3a",
        1,
        4,
        12,
        new float[] {0.5f, -0f, Float.MIN_VALUE, -2.75f},
        new OptimizerState("sgd", 12, Map.of("velocity", new float[] {1e-3f, -1e-3f, 0f, 8f})),
        List.of(step),
        List.of(epoch));
  }

  @Test
  void readsTheFileOfVersionOne() throws IOException {
    TrainingState read = TrainingStateStore.decode(golden(), FILE);
    TrainingState want = expected();
    assertEquals(want.fingerprint(), read.fingerprint());
    assertEquals(want.epoch(), read.epoch());
    assertEquals(want.stepInEpoch(), read.stepInEpoch());
    assertEquals(want.globalStep(), read.globalStep());
    assertArrayEquals(want.parameters(), read.parameters());
    assertEquals(want.optimizer().algorithm(), read.optimizer().algorithm());
    assertEquals(want.optimizer().step(), read.optimizer().step());
    assertArrayEquals(
        want.optimizer().buffers().get("velocity"), read.optimizer().buffers().get("velocity"));
    assertEquals(want.history(), read.history());
    assertEquals(want.epochs(), read.epochs());
  }

  @Test
  void writesTheBytesOfVersionOne() throws IOException {
    assertArrayEquals(golden(), TrainingStateStore.encode(expected()));
  }

  private static byte[] golden() throws IOException {
    try (InputStream in = TrainingStateGoldenTest.class.getResourceAsStream(FILE)) {
      return in.readAllBytes();
    }
  }
}
