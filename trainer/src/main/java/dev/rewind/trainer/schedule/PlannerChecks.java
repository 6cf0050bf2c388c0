package dev.rewind.trainer.schedule;

/** Argument checks shared by the planners, with messages "expected X, got Y". */
final class PlannerChecks {
  private PlannerChecks() {}

  static long atLeastOne(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException("expected " + name + " >= 1, got " + value);
    }
    return value;
  }

  static CostModel costModel(CostModel cost) {
    if (cost == null) {
      throw new IllegalArgumentException("expected a cost model, got null");
    }
    return cost;
  }

  /** Number of segments of length {@code length} (the last may be shorter) covering {@code n}. */
  static long segments(long n, long length) {
    return (n + length - 1) / length;
  }
}
