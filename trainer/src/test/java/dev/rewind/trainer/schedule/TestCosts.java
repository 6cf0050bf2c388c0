package dev.rewind.trainer.schedule;

/** Cost models shared by the planner tests. */
final class TestCosts {
  private TestCosts() {}

  /** The plausible model of the brief: 64 KiB states, 40 KiB tape per step, a 1 GB/s disk. */
  static CostModel plausible() {
    long state = 64 * 1024;
    return new CostModel(
        0.25e-3,
        0.30e-3,
        0.60e-3,
        state,
        40 * 1024,
        TierCost.ofBandwidth(state, 10e9, 10e9, 0),
        TierCost.ofBandwidth(state, 1e9, 2e9, 0));
  }

  /** A slow tier with high latency (HDFS-like), where coarse checkpoints are worth avoiding. */
  static CostModel slowDisk() {
    long state = 64 * 1024;
    return new CostModel(
        0.25e-3,
        0.30e-3,
        0.60e-3,
        state,
        40 * 1024,
        TierCost.ofBandwidth(state, 10e9, 10e9, 0),
        TierCost.ofBandwidth(state, 100e6, 200e6, 20e-3));
  }

  /** Unit costs, convenient to count: u_f = 1, u_t = 2, u_r = 3, memory free, disk w=5 r=4. */
  static CostModel unit() {
    return new CostModel(1, 2, 3, 100, 10, TierCost.FREE, new TierCost(5, 4));
  }

  static void assertClose(double expected, double actual, String what) {
    if (Math.abs(expected - actual) > 1e-9 * Math.max(1, Math.abs(expected))) {
      throw new AssertionError(what + ": expected " + expected + ", got " + actual);
    }
  }
}
