package dev.rewind.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SgdTest {

  private static final float[] P0 = {1.0f, -2.0f, 0.5f, 3.0f};
  private static final float[][] GRADS = {
    {0.5f, -1.0f, 0.25f, 2.0f}, {0.25f, 0.5f, -0.75f, 1.0f}, {-0.125f, 0.0f, 1.5f, -3.0f}
  };

  @Test
  void plainStepIsParamMinusRateTimesGradient() {
    float[] params = {1f, 2f};
    Optimizer sgd = SgdConfig.plain(0.1).create(2, LearningRateSchedule.constant());
    sgd.step(params, new float[] {0.5f, -1f});
    assertArrayEquals(new float[] {0.95f, 2.1f}, params, 1e-7f);
    assertEquals(1, sgd.stepCount());
  }

  @Test
  void momentumAndNesterovByHand() {
    float[] heavyBall = {1f};
    Optimizer momentum =
        new SgdConfig(0.1, 0.9, false, 0).create(1, LearningRateSchedule.constant());
    momentum.step(heavyBall, new float[] {1f}); // buf = 1, p = 1 - 0.1
    momentum.step(heavyBall, new float[] {1f}); // buf = 1.9, p = 0.9 - 0.19
    assertEquals(0.71f, heavyBall[0], 1e-7f);

    float[] nesterov = {1f};
    Optimizer nag = new SgdConfig(0.1, 0.9, true, 0).create(1, LearningRateSchedule.constant());
    nag.step(nesterov, new float[] {1f}); // buf = 1, d = 1.9, p = 1 - 0.19
    nag.step(nesterov, new float[] {1f}); // buf = 1.9, d = 2.71, p = 0.81 - 0.271
    assertEquals(0.539f, nesterov[0], 1e-7f);
  }

  @Test
  void weightDecayAddsParamToGradient() {
    float[] params = {2f};
    new SgdConfig(1.0, 0, false, 0.1)
        .create(1, LearningRateSchedule.constant())
        .step(params, new float[] {0f});
    assertEquals(1.8f, params[0], 1e-7f);
  }

  @Test
  void matchesTorchOptimSgd() {
    // torch 1.13 float32: torch.optim.SGD(lr=0.1, momentum=0.9), then with nesterov=True,
    // weight_decay=0.01, over the same three gradients (benchmarks/pytorch conventions).
    assertArrayEquals(
        new float[] {
          0.8295000195503235f, -1.8240000009536743f, 0.4247499704360962f, 2.568000078201294f
        },
        run(new SgdConfig(0.1, 0.9, false, 0)),
        1e-6f);
    assertArrayEquals(
        new float[] {
          0.7766197323799133f, -1.7763783931732178f, 0.32824400067329407f, 2.5895140171051025f
        },
        run(new SgdConfig(0.1, 0.9, true, 0.01)),
        1e-6f);
  }

  private static float[] run(SgdConfig config) {
    float[] params = P0.clone();
    Optimizer sgd = config.create(params.length, LearningRateSchedule.constant());
    for (float[] g : GRADS) {
      sgd.step(params, g);
    }
    return params;
  }

  @Test
  void matchesDoubleReferenceOnRandomVectors() {
    long seed = OptimizerTestSupport.seed("SgdTest.matchesDoubleReferenceOnRandomVectors");
    Random random = new Random(seed);
    for (boolean nesterov : new boolean[] {false, true}) {
      int n = 1000;
      double lr = 0.05;
      double momentum = 0.9;
      double wd = 1e-3;
      float[] params = OptimizerTestSupport.gaussian(random, n, 1.0);
      double[] ref = OptimizerTestSupport.toDouble(params);
      double[] buf = new double[n];
      Optimizer sgd =
          new SgdConfig(lr, momentum, nesterov, wd).create(n, LearningRateSchedule.constant());
      for (int step = 0; step < 20; step++) {
        float[] grad = OptimizerTestSupport.gaussian(random, n, 0.5);
        sgd.step(params, grad);
        for (int i = 0; i < n; i++) {
          double g = grad[i] + wd * ref[i];
          buf[i] = momentum * buf[i] + g;
          ref[i] -= lr * (nesterov ? g + momentum * buf[i] : buf[i]);
        }
      }
      for (int i = 0; i < n; i++) {
        assertEquals(ref[i], params[i], 1e-5 * (1 + Math.abs(ref[i])), "seed " + seed + " i " + i);
      }
    }
  }

  @Test
  void scheduleScalesTheRate() {
    Optimizer sgd = SgdConfig.plain(1.0).create(1, new LearningRateSchedule.StepDecay(2, 0.5));
    float[] params = {0f};
    double[] rates = new double[5];
    for (int t = 0; t < 5; t++) {
      rates[t] = sgd.nextLearningRate();
      sgd.step(params, new float[] {1f});
    }
    assertArrayEquals(new double[] {1, 1, 0.5, 0.5, 0.25}, rates);
    assertEquals(-3.25f, params[0]);
  }

  @Test
  void nonFiniteGradientIsRejectedBeforeAnythingChanges() {
    Optimizer sgd = new SgdConfig(0.1, 0.9, false, 0).create(3, LearningRateSchedule.constant());
    float[] params = {1f, 2f, 3f};
    sgd.step(params, new float[] {1f, 1f, 1f});
    float[] before = params.clone();
    OptimizerState stateBefore = sgd.exportState();
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> sgd.step(params, new float[] {1f, 1f, bad}));
      assertTrue(e.getMessage().contains("index 2"), e.getMessage());
      assertArrayEquals(before, params);
      assertEquals(stateBefore, sgd.exportState());
      assertEquals(1, sgd.stepCount());
    }
  }

  @Test
  void lengthMismatchIsRejected() {
    Optimizer sgd = SgdConfig.plain(0.1).create(3, LearningRateSchedule.constant());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> sgd.step(new float[3], new float[2]));
    assertEquals("grad: expected length 3, got 2", e.getMessage());
  }

  @Test
  void configIsValidated() {
    assertEquals(
        "learningRate: expected a finite value > 0, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> SgdConfig.plain(0)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> SgdConfig.plain(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> SgdConfig.plain(-1));
    assertThrows(IllegalArgumentException.class, () -> SgdConfig.plain(Double.POSITIVE_INFINITY));
    assertEquals(
        "momentum: expected a value in [0, 1), got 1.0",
        assertThrows(IllegalArgumentException.class, () -> new SgdConfig(0.1, 1, false, 0))
            .getMessage());
    assertEquals(
        "momentum: expected > 0 when nesterov is true, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> new SgdConfig(0.1, 0, true, 0))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SgdConfig(0.1, 0, false, -1e-3));
    assertThrows(
        IllegalArgumentException.class,
        () -> SgdConfig.plain(0.1).create(-1, LearningRateSchedule.constant()));
  }

  @Test
  void stateRoundTripContinuesBitIdentically() throws Exception {
    OptimizerRoundTrip.assertResumeIsBitIdentical(
        new SgdConfig(0.05, 0.9, true, 1e-3),
        OptimizerTestSupport.seed("SgdTest.stateRoundTripContinuesBitIdentically"));
  }

  @Test
  void stepDoesNotAllocate() {
    AllocationProbe.assertStepDoesNotAllocate(new SgdConfig(0.05, 0.9, true, 1e-3));
  }
}
