package dev.rewind.trainer.schedule;

import java.util.List;

/**
 * The plan shared by periodic, remote, Double Checkpointing and two-level periodic schedules: over
 * {@code [from, to)}, with the current state at {@code from}, save the start of each segment of
 * {@code interval} steps but the last to one tier and advance untaped; reverse the last segment at
 * once; then, last to first, load each earlier segment's start and reverse that segment.
 */
final class PeriodicSweep {

  /** How a segment {@code [a, b)} is reversed once its start state is current. */
  @FunctionalInterface
  interface SegmentReversal {
    /**
     * @param loaded true when the start state was loaded from the sweep's tier, whose checkpoint
     *     the fragment must free; false for the last segment, reached by the forward sweep
     */
    Fragment reverse(long a, long b, boolean loaded);
  }

  private final long from;
  private final long to;
  private final long interval;
  private final Placement tier;
  private final SegmentReversal reversal;

  private PeriodicSweep(
      long from, long to, long interval, Placement tier, SegmentReversal reversal) {
    this.from = from;
    this.to = to;
    this.interval = interval;
    this.tier = tier;
    this.reversal = reversal;
  }

  /** The whole plan over {@code [from, to)}. */
  static Fragment of(long from, long to, long interval, Placement tier, SegmentReversal reversal) {
    PeriodicSweep sweep = new PeriodicSweep(from, to, interval, tier, reversal);
    long last = PlannerChecks.segments(to - from, interval) - 1;
    return () -> List.of(sweep.forward(0, last), sweep.backward(last - 1));
  }

  private Fragment forward(long segment, long last) {
    long a = from + segment * interval;
    if (segment == last) {
      return reversal.reverse(a, to, false);
    }
    return () ->
        List.of(
            Fragment.emit(new Action.Save(a, tier)),
            Fragment.emit(new Action.Advance(a, a + interval, false)),
            forward(segment + 1, last));
  }

  private Fragment backward(long segment) {
    if (segment < 0) {
      return List::of;
    }
    long a = from + segment * interval;
    return () ->
        List.of(
            Fragment.emit(new Action.Load(a, tier)),
            reversal.reverse(a, a + interval, true),
            backward(segment - 1));
  }
}
