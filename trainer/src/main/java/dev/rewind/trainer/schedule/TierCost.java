package dev.rewind.trainer.schedule;

/**
 * Time to write one state to a tier and to read one back, in seconds.
 *
 * @param writeSeconds seconds for one {@link Action.Save} into the tier
 * @param readSeconds seconds for one {@link Action.Load} from the tier
 */
public record TierCost(double writeSeconds, double readSeconds) {

  /** A tier whose accesses the model treats as free. */
  public static final TierCost FREE = new TierCost(0, 0);

  public TierCost {
    requireNonNegative("writeSeconds", writeSeconds);
    requireNonNegative("readSeconds", readSeconds);
  }

  /**
   * Per-state costs of a tier with the given bandwidths and a fixed latency per access.
   *
   * @param stateBytes bytes of one state
   * @param writeBytesPerSecond sustained write bandwidth
   * @param readBytesPerSecond sustained read bandwidth
   * @param latencySeconds fixed cost added to every write and read
   */
  public static TierCost ofBandwidth(
      long stateBytes,
      double writeBytesPerSecond,
      double readBytesPerSecond,
      double latencySeconds) {
    if (stateBytes <= 0) {
      throw new IllegalArgumentException("expected stateBytes > 0, got " + stateBytes);
    }
    if (!(writeBytesPerSecond > 0) || !(readBytesPerSecond > 0)) {
      throw new IllegalArgumentException(
          "expected positive bandwidths, got write="
              + writeBytesPerSecond
              + ", read="
              + readBytesPerSecond);
    }
    return new TierCost(
        latencySeconds + stateBytes / writeBytesPerSecond,
        latencySeconds + stateBytes / readBytesPerSecond);
  }

  static void requireNonNegative(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("expected " + name + " finite and >= 0, got " + value);
    }
  }
}
