package dev.rewind.trainer.optim;

/** Argument checks shared by the configs and optimizers, with "expected X, got Y" messages. */
final class OptimizerChecks {

  private OptimizerChecks() {}

  static double positiveFinite(String name, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(name + ": expected a finite value > 0, got " + value);
    }
    return value;
  }

  static double nonNegativeFinite(String name, double value) {
    if (!(value >= 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(name + ": expected a finite value >= 0, got " + value);
    }
    return value;
  }

  /** Checks {@code 0 <= value < 1}. */
  static double unitInterval(String name, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(name + ": expected a value in [0, 1), got " + value);
    }
    return value;
  }

  static void sameLength(String name, float[] array, int expected) {
    if (array == null) {
      throw new IllegalArgumentException(name + ": expected an array, got null");
    }
    if (array.length != expected) {
      throw new IllegalArgumentException(
          name + ": expected length " + expected + ", got " + array.length);
    }
  }

  /** Rejects the first NaN or infinite entry of {@code grad}, naming its index. */
  static void finite(float[] grad) {
    for (int i = 0; i < grad.length; i++) {
      if (!Float.isFinite(grad[i])) {
        throw new IllegalArgumentException(
            "gradient: expected finite values, got " + grad[i] + " at index " + i);
      }
    }
  }
}
