package dev.rewind.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

  @Test
  void clipsToMaxNormAndReturnsPreClipNorm() {
    float[] grad = {3f, 4f, 0f, -12f};
    double norm = new GradientClipping(1.0).clip(grad);
    assertEquals(13.0, norm);
    // torch.nn.utils.clip_grad_norm_ on the same vector, torch 1.13 float32.
    assertArrayEquals(
        new float[] {0.23076921701431274f, 0.307692289352417f, 0f, -0.923076868057251f},
        grad,
        1e-7f);
  }

  @Test
  void leavesSmallGradientUnchanged() {
    float[] grad = {0.3f, 0.4f};
    assertEquals(0.5, new GradientClipping(1.0).clip(grad), 1e-7);
    assertArrayEquals(new float[] {0.3f, 0.4f}, grad);
  }

  @Test
  void matchesDoubleReferenceOnRandomVectors() {
    long seed = OptimizerTestSupport.seed("GradientClippingTest.matchesDoubleReference");
    Random random = new Random(seed);
    for (int trial = 0; trial < 20; trial++) {
      float[] grad = OptimizerTestSupport.gaussian(random, 1 + random.nextInt(5000), 1.0);
      double maxNorm = 0.1 + random.nextDouble() * 60;
      double sum = 0;
      for (float g : grad) {
        sum += (double) g * g;
      }
      double norm = Math.sqrt(sum);
      double scale = Math.min(1.0, maxNorm / (norm + 1e-6));
      float[] original = grad.clone();
      assertEquals(norm, new GradientClipping(maxNorm).clip(grad), 1e-9 * norm, "seed " + seed);
      for (int i = 0; i < grad.length; i++) {
        assertEquals(original[i] * scale, grad[i], 1e-6 * Math.abs(original[i]), "seed " + seed);
      }
      assertEquals(Math.min(norm, maxNorm), GradientClipping.norm(grad), 1e-5 * maxNorm);
    }
  }

  @Test
  void nonFiniteGradientIsRejectedUnchanged() {
    float[] grad = {100f, Float.POSITIVE_INFINITY};
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new GradientClipping(1).clip(grad));
    assertEquals("gradient: expected finite values, got Infinity at index 1", e.getMessage());
    assertEquals(100f, grad[0]);
  }

  @Test
  void maxNormIsValidated() {
    assertEquals(
        "maxNorm: expected a finite value > 0, got -1.0",
        assertThrows(IllegalArgumentException.class, () -> new GradientClipping(-1)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new GradientClipping(0));
    assertThrows(IllegalArgumentException.class, () -> new GradientClipping(Double.NaN));
  }
}
