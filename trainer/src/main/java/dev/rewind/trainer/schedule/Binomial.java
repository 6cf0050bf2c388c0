package dev.rewind.trainer.schedule;

/**
 * Griewank and Walther's binomial checkpointing arithmetic. {@code beta(c, r) = C(c + r, c)} is the
 * longest chain that {@code c} memory slots reverse when no step is advanced more than {@code r}
 * times after the forward sweep; values too large for a long saturate at {@link Long#MAX_VALUE}
 * (they exceed any chain length).
 */
final class Binomial {
  private Binomial() {}

  /** C(c + r, c), saturated; 0 for r &lt; 0. */
  static long beta(long c, long r) {
    if (r < 0) {
      return 0;
    }
    long value = 1;
    for (long i = 1; i <= r; i++) {
      try {
        // C(c + i, i) = C(c + i - 1, i - 1) * (c + i) / i, exact at every i
        value = Math.multiplyExact(value, c + i) / i;
      } catch (ArithmeticException overflow) {
        return Long.MAX_VALUE;
      }
    }
    return value;
  }

  /** The smallest r with {@code beta(slots, r) >= steps}; O(r) time. */
  static long repetitions(long steps, long slots) {
    long r = 0;
    long beta = 1;
    while (beta < steps) {
      r++;
      try {
        beta = Math.multiplyExact(beta, slots + r) / r;
      } catch (ArithmeticException overflow) {
        return r;
      }
    }
    return r;
  }

  /**
   * Minimal number of untaped forward steps (first sweep included) to reverse {@code steps} steps
   * with {@code slots} memory slots, each step taped once just before it is reversed: {@code r *
   * steps - beta(slots + 1, r - 1)}.
   */
  static long minimalUntapedSteps(long steps, long slots) {
    long r = repetitions(steps, slots);
    return r * steps - beta(slots + 1, r - 1);
  }

  /**
   * An optimal length j of the first advance when reversing {@code steps >= 2} steps with {@code
   * slots >= 2}: the largest j with {@code j <= beta(slots, r - 1)} (the part before it is then
   * reversible with {@code slots} slots and {@code r - 1} repetitions) and {@code steps - j >=
   * beta(slots - 1, r - 1)} (the part after it, with one slot fewer, needs all {@code r}).
   */
  static long split(long steps, long slots) {
    long r = repetitions(steps, slots);
    long j = Math.min(beta(slots, r - 1), steps - beta(slots - 1, r - 1));
    return Math.max(1, Math.min(steps - 1, j));
  }
}
