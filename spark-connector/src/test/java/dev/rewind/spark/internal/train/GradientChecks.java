package dev.rewind.spark.internal.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gradient-equality bound the tests use. A distributed step and a single-JVM batch sum the same
 * float terms (per sequence, per time step) in different orders; recursive float summation of n
 * terms errs by at most (n - 1) * 2^-24 * sum|terms| (Higham, Accuracy and Stability, 4.2), so two
 * orders differ by at most twice that. With n = B * T terms per entry, and sum|terms| unknown
 * outside the engine, the tests assert the norm-wise form: max_i |a_i - b_i| <= 1e-5 * max_i |b_i|
 * — for B * T = 320 terms of one sign, 2 * 320 * 2^-24 = 3.8e-5 of sum|terms|; cancellation between
 * terms can only make the observed differences smaller relative to sum|terms|.
 */
public final class GradientChecks {
  public static final double RELATIVE = 1e-5;

  private GradientChecks() {}

  /** Asserts the bound above and returns the observed max |a - b| / max |b|. */
  public static double assertClose(float[] actual, float[] expected) {
    assertEquals(expected.length, actual.length, "gradient length");
    double scale = 0;
    double worst = 0;
    int worstAt = -1;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
    }
    for (int i = 0; i < expected.length; i++) {
      double d = Math.abs((double) actual[i] - expected[i]);
      if (d > worst) {
        worst = d;
        worstAt = i;
      }
    }
    assertTrue(scale > 0, "reference gradient is all zeros: the test would prove nothing");
    double relative = worst / scale;
    assertTrue(
        relative <= RELATIVE,
        "gradient["
            + worstAt
            + "]: expected within "
            + RELATIVE
            + " * max|g| = "
            + RELATIVE * scale
            + " of the reference, got a difference of "
            + worst);
    return relative;
  }

  /** Asserts that every entry is within {@code ulps} units in the last place. */
  public static void assertUlps(float[] actual, float[] expected, int ulps) {
    assertEquals(expected.length, actual.length, "gradient length");
    for (int i = 0; i < expected.length; i++) {
      double d = Math.abs((double) actual[i] - expected[i]);
      assertTrue(
          d <= ulps * Math.ulp(Math.abs(expected[i])),
          "gradient["
              + i
              + "]: expected "
              + expected[i]
              + " within "
              + ulps
              + " ulp, got "
              + actual[i]);
    }
  }
}
