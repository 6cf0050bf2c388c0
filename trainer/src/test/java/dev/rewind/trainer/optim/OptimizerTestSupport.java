package dev.rewind.trainer.optim;

import java.util.Random;

/** Seeded random vectors for the optimizer tests; every seed is printed so a failure replays. */
final class OptimizerTestSupport {

  private OptimizerTestSupport() {}

  /** Returns the seed from {@code -Drewind.test.seed} or a fresh one, and prints it. */
  static long seed(String test) {
    long seed = Long.getLong("rewind.test.seed", System.nanoTime());
    System.out.println(test + ": seed " + seed + " (replay with -Drewind.test.seed=" + seed + ")");
    return seed;
  }

  static float[] gaussian(Random random, int n, double scale) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (random.nextGaussian() * scale);
    }
    return values;
  }

  static double[] toDouble(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
