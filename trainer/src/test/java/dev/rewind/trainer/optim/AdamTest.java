package dev.rewind.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamTest {

  private static final float[] P0 = {1.0f, -2.0f, 0.5f, 3.0f};
  private static final float[][] GRADS = {
    {0.5f, -1.0f, 0.25f, 2.0f}, {0.25f, 0.5f, -0.75f, 1.0f}, {-0.125f, 0.0f, 1.5f, -3.0f}
  };

  @Test
  void twoStepsByHand() {
    float[] params = {1f};
    Optimizer adam = AdamConfig.defaults(0.1).create(1, LearningRateSchedule.constant());
    // Step 1: m = 0.05, v = 0.00025; bias-corrected m = 0.5, v = 0.25, so p = 1 - 0.1 * 0.5/0.5.
    adam.step(params, new float[] {0.5f});
    assertEquals(0.9f, params[0], 1e-6f);
    // Step 2: m = 0.07, v = 0.00031225, step size 0.1 / 0.19,
    // denominator sqrt(0.00031225) / sqrt(0.001999) + 1e-8 = 0.3952252..., p = 0.9 - 0.0932174...
    adam.step(params, new float[] {0.25f});
    double expected =
        0.9 - (0.1 / 0.19) * 0.07 / (Math.sqrt(0.00031225) / Math.sqrt(0.001999) + 1e-8);
    assertEquals(0.806783, expected, 1e-6);
    assertEquals(expected, params[0], 1e-6);
    OptimizerState state = adam.exportState();
    assertEquals(0.07f, state.buffer("exp_avg")[0], 1e-8f);
    assertEquals(0.00031225f, state.buffer("exp_avg_sq")[0], 1e-10f);
    assertEquals(2, state.step());
  }

  @Test
  void matchesTorchOptimAdam() {
    // torch 1.13 float32: torch.optim.Adam(lr=0.1), then Adam(lr=0.01, betas=(0.8, 0.99),
    // eps=1e-6, weight_decay=0.1), over the same three gradients.
    assertArrayEquals(
        new float[] {
          0.7504159212112427f, -1.8527783155441284f, 0.4107031226158142f, 2.8149800300598145f
        },
        run(AdamConfig.defaults(0.1)),
        1e-6f);
    assertArrayEquals(
        new float[] {
          0.9740784764289856f, -1.9816755056381226f, 0.48990756273269653f, 2.9810094833374023f
        },
        run(new AdamConfig(0.01, 0.8, 0.99, 1e-6, 0.1)),
        1e-6f);
  }

  private static float[] run(AdamConfig config) {
    float[] params = P0.clone();
    Optimizer adam = config.create(params.length, LearningRateSchedule.constant());
    for (float[] g : GRADS) {
      adam.step(params, g);
    }
    return params;
  }

  @Test
  void matchesDoubleReferenceOnRandomVectors() {
    long seed = OptimizerTestSupport.seed("AdamTest.matchesDoubleReferenceOnRandomVectors");
    Random random = new Random(seed);
    int n = 1000;
    double lr = 0.01;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-8;
    double wd = 1e-2;
    LearningRateSchedule schedule = new LearningRateSchedule.CosineWithWarmup(5, 30, 0.0);
    float[] params = OptimizerTestSupport.gaussian(random, n, 1.0);
    double[] ref = OptimizerTestSupport.toDouble(params);
    double[] m = new double[n];
    double[] v = new double[n];
    Optimizer adam = new AdamConfig(lr, b1, b2, eps, wd).create(n, schedule);
    for (int t = 0; t < 30; t++) {
      float[] grad = OptimizerTestSupport.gaussian(random, n, 0.5);
      adam.step(params, grad);
      int k = t + 1;
      double rate = lr * schedule.factor(t);
      for (int i = 0; i < n; i++) {
        double g = grad[i] + wd * ref[i];
        m[i] = b1 * m[i] + (1 - b1) * g;
        v[i] = b2 * v[i] + (1 - b2) * g * g;
        double mHat = m[i] / (1 - Math.pow(b1, k));
        double vHat = v[i] / (1 - Math.pow(b2, k));
        ref[i] -= rate * mHat / (Math.sqrt(vHat) + eps);
      }
    }
    for (int i = 0; i < n; i++) {
      assertEquals(ref[i], params[i], 1e-5 * (1 + Math.abs(ref[i])), "seed " + seed + " i " + i);
    }
  }

  /** A parameter group's own rate: Adam's step of entry i is the rate times factors[i]. */
  @Test
  void rateFactorsScaleEachEntrysStep() {
    for (OptimizerConfig config :
        java.util.List.<OptimizerConfig>of(
            AdamConfig.defaults(0.1), new SgdConfig(0.1, 0.9, true, 0.01))) {
      Optimizer plain = config.create(4, LearningRateSchedule.constant());
      Optimizer ones = config.create(4, LearningRateSchedule.constant());
      ones.scaleRates(new float[] {1, 1, 1, 1});
      Optimizer scaled = config.create(4, LearningRateSchedule.constant());
      scaled.scaleRates(new float[] {1, 0.5f, 1, 0.01f});
      float[] a = P0.clone();
      float[] b = P0.clone();
      float[] c = P0.clone();
      for (float[] g : GRADS) {
        plain.step(a, g);
        ones.step(b, g);
        scaled.step(c, g);
      }
      assertArrayEquals(a, b, "factors of 1 change nothing");
      assertEquals(a[0], c[0], "factor 1");
      assertEquals(a[2], c[2], "factor 1");
      assertTrue(
          Math.abs(c[1] - P0[1]) < 0.6 * Math.abs(a[1] - P0[1]), "factor 0.5 moves less: " + c[1]);
      assertTrue(Math.abs(c[3] - P0[3]) < 0.02 * Math.abs(a[3] - P0[3]), "factor 0.01: " + c[3]);
    }
    Optimizer adam = AdamConfig.defaults(0.1).create(2, LearningRateSchedule.constant());
    var bad =
        assertThrows(IllegalArgumentException.class, () -> adam.scaleRates(new float[] {1, 0}));
    assertTrue(bad.getMessage().contains("at index 1"), bad.getMessage());
    assertThrows(IllegalArgumentException.class, () -> adam.scaleRates(new float[] {1}));
  }

  @Test
  void nonFiniteGradientIsRejectedBeforeAnythingChanges() {
    Optimizer adam = AdamConfig.defaults(0.1).create(4, LearningRateSchedule.constant());
    float[] params = {1f, 2f, 3f, 4f};
    adam.step(params, new float[] {1f, 1f, 1f, 1f});
    float[] before = params.clone();
    OptimizerState stateBefore = adam.exportState();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> adam.step(params, new float[] {1f, Float.NaN, 1f, Float.NaN}));
    assertEquals("gradient: expected finite values, got NaN at index 1", e.getMessage());
    assertArrayEquals(before, params);
    assertEquals(stateBefore, adam.exportState());
    assertEquals(1, adam.stepCount());
  }

  @Test
  void configIsValidated() {
    assertEquals(
        "learningRate: expected a finite value > 0, got NaN",
        assertThrows(IllegalArgumentException.class, () -> AdamConfig.defaults(Double.NaN))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> AdamConfig.defaults(0));
    assertEquals(
        "beta1: expected a value in [0, 1), got 1.0",
        assertThrows(IllegalArgumentException.class, () -> new AdamConfig(0.1, 1, 0.999, 1e-8, 0))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> new AdamConfig(0.1, 0.9, -0.1, 1e-8, 0));
    assertThrows(IllegalArgumentException.class, () -> new AdamConfig(0.1, 0.9, 0.999, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new AdamConfig(0.1, 0.9, 0.999, 1e-8, -1));
  }

  @Test
  void importRejectsForeignState() {
    Optimizer adam = AdamConfig.defaults(0.1).create(3, LearningRateSchedule.constant());
    OptimizerState sgdState =
        SgdConfig.plain(0.1).create(3, LearningRateSchedule.constant()).exportState();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> adam.importState(sgdState));
    assertEquals("optimizer state: expected algorithm 'adam', got 'sgd'", e.getMessage());

    OptimizerState wrongLength =
        new OptimizerState("adam", 4, Map.of("exp_avg", new float[2], "exp_avg_sq", new float[2]));
    e = assertThrows(IllegalArgumentException.class, () -> adam.importState(wrongLength));
    assertTrue(e.getMessage().contains("expected length 3, got 2"), e.getMessage());
    assertEquals(0, adam.stepCount());
  }

  @Test
  void stateRoundTripContinuesBitIdentically() throws Exception {
    OptimizerRoundTrip.assertResumeIsBitIdentical(
        new AdamConfig(0.01, 0.9, 0.999, 1e-8, 1e-3),
        OptimizerTestSupport.seed("AdamTest.stateRoundTripContinuesBitIdentically"));
  }

  @Test
  void stepDoesNotAllocate() {
    AllocationProbe.assertStepDoesNotAllocate(AdamConfig.defaults(1e-3));
  }
}
