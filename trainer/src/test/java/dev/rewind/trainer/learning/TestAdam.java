package dev.rewind.trainer.learning;

/** A minimal Adam step for the learning tests only (the library's optimizers live elsewhere). */
final class TestAdam {
  private double rate;
  private final float[] m;
  private final float[] v;
  private int step;

  TestAdam(int size, double rate) {
    this.rate = rate;
    this.m = new float[size];
    this.v = new float[size];
  }

  void setRate(double rate) {
    this.rate = rate;
  }

  void step(float[] params, float[] grad) {
    step++;
    double c1 = 1 - Math.pow(0.9, step);
    double c2 = 1 - Math.pow(0.999, step);
    for (int i = 0; i < params.length; i++) {
      m[i] = 0.9f * m[i] + 0.1f * grad[i];
      v[i] = 0.999f * v[i] + 0.001f * grad[i] * grad[i];
      params[i] -= (float) (rate * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8));
    }
  }
}
