package dev.rewind.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

/** Checks that export, encode, decode and import resume an optimizer bit for bit. */
final class OptimizerRoundTrip {

  private OptimizerRoundTrip() {}

  static void assertResumeIsBitIdentical(OptimizerConfig config, long seed) throws Exception {
    Random random = new Random(seed);
    int n = 257;
    LearningRateSchedule schedule = new LearningRateSchedule.CosineWithWarmup(3, 12, 0.1);
    float[][] grads = new float[10][];
    for (int s = 0; s < grads.length; s++) {
      grads[s] = OptimizerTestSupport.gaussian(random, n, 1.0);
    }
    float[] params = OptimizerTestSupport.gaussian(random, n, 1.0);

    Optimizer uninterrupted = config.create(n, schedule);
    float[] straight = params.clone();
    for (float[] g : grads) {
      uninterrupted.step(straight, g);
    }

    Optimizer first = config.create(n, schedule);
    float[] resumed = params.clone();
    for (int s = 0; s < 5; s++) {
      first.step(resumed, grads[s]);
    }
    byte[] saved = OptimizerStateCodec.encode(first.exportState());
    Optimizer second = config.create(n, schedule);
    second.importState(OptimizerStateCodec.decode(saved, "memory"));
    assertEquals(5, second.stepCount());
    for (int s = 5; s < grads.length; s++) {
      second.step(resumed, grads[s]);
    }

    assertArrayEquals(straight, resumed, "seed " + seed);
    assertEquals(uninterrupted.exportState(), second.exportState(), "seed " + seed);
  }
}
