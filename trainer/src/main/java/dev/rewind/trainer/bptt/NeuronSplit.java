package dev.rewind.trainer.bptt;

/**
 * Splits the rows of a gradient matrix (presynaptic neurons) into contiguous ranges, one per
 * thread, in multiples of 16. A row is summed by the same code in the same order whichever range
 * holds it, which is why results do not depend on the thread count.
 */
final class NeuronSplit {
  private static final int ALIGN = 16;

  private NeuronSplit() {}

  static int from(int n, int part, int parts) {
    return Math.min(n, part * chunk(n, parts));
  }

  static int to(int n, int part, int parts) {
    return Math.min(n, (part + 1) * chunk(n, parts));
  }

  private static int chunk(int n, int parts) {
    int each = (n + parts - 1) / parts;
    return (each + ALIGN - 1) / ALIGN * ALIGN;
  }
}
