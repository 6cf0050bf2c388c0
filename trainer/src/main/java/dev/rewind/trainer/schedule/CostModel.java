package dev.rewind.trainer.schedule;

/**
 * What the planners optimise: the time of each action and the bytes each live thing occupies.
 * Measured on the running machine by calibration; planners only read it.
 *
 * <p>Time of an action: {@link Action.Advance} costs {@code steps * forwardSeconds} untaped and
 * {@code steps * tapedForwardSeconds} taped; {@link Action.Reverse} costs {@code steps *
 * reverseSeconds}; {@link Action.Save} and {@link Action.Load} cost the tier's write and read time;
 * {@link Action.Free} and {@link Action.EndForward} cost nothing (the loss is the same for every
 * schedule). Store-all BPTT therefore costs {@code T * (tapedForwardSeconds + reverseSeconds)}.
 *
 * <p>Memory in bytes at any moment: {@code (1 + liveSlots) * stateBytes + tapedSteps *
 * tapeBytesPerStep}, the 1 being the current state.
 *
 * @param forwardSeconds u_f: one forward step without tape
 * @param tapedForwardSeconds u_t: one forward step recording its tape entry
 * @param reverseSeconds u_r: one backward step from its tape entry
 * @param stateBytes bytes of one state (what a checkpoint holds)
 * @param tapeBytesPerStep bytes of one step's tape entry
 * @param memory per-state cost of saving to and loading from {@link Placement#MEMORY}
 * @param slow per-state cost of saving to and loading from {@link Placement#SLOW}
 */
public record CostModel(
    double forwardSeconds,
    double tapedForwardSeconds,
    double reverseSeconds,
    long stateBytes,
    long tapeBytesPerStep,
    TierCost memory,
    TierCost slow) {

  public CostModel {
    TierCost.requireNonNegative("forwardSeconds", forwardSeconds);
    TierCost.requireNonNegative("tapedForwardSeconds", tapedForwardSeconds);
    TierCost.requireNonNegative("reverseSeconds", reverseSeconds);
    if (stateBytes <= 0) {
      throw new IllegalArgumentException("expected stateBytes > 0, got " + stateBytes);
    }
    if (tapeBytesPerStep < 0) {
      throw new IllegalArgumentException("expected tapeBytesPerStep >= 0, got " + tapeBytesPerStep);
    }
    if (memory == null || slow == null) {
      throw new IllegalArgumentException(
          "expected memory and slow tier costs, got memory=" + memory + ", slow=" + slow);
    }
  }

  /** Cost of one action, in seconds. */
  public double seconds(Action action) {
    if (action instanceof Action.Advance a) {
      return a.steps() * (a.taped() ? tapedForwardSeconds : forwardSeconds);
    } else if (action instanceof Action.Reverse r) {
      return r.steps() * reverseSeconds;
    } else if (action instanceof Action.Save s) {
      return tier(s.tier()).writeSeconds();
    } else if (action instanceof Action.Load l) {
      return tier(l.tier()).readSeconds();
    }
    return 0;
  }

  /** The per-state costs of {@code tier}. */
  public TierCost tier(Placement tier) {
    return tier == Placement.MEMORY ? memory : slow;
  }

  /** Cost of taping and reversing one step: u_t + u_r. */
  public double tapedStepSeconds() {
    return tapedForwardSeconds + reverseSeconds;
  }

  /** Predicted time of store-all BPTT over {@code steps} steps, the reference of every ratio. */
  public double storeAllSeconds(long steps) {
    return steps * tapedStepSeconds();
  }

  /** Bytes held with the current state, {@code liveSlots} saved states and a tape of steps. */
  public long bytes(long liveSlots, long tapedSteps) {
    return Math.addExact(
        Math.multiplyExact(1 + liveSlots, stateBytes),
        Math.multiplyExact(tapedSteps, tapeBytesPerStep));
  }
}
