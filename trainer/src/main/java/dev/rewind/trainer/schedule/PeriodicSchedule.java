package dev.rewind.trainer.schedule;

import java.util.Iterator;
import java.util.List;

/**
 * Checkpoints every {@code k} steps to one tier, then reverses segment by segment from the last.
 *
 * <p>Forward sweep: for each segment {@code [a, a + k)} but the last, save state {@code a} to the
 * tier and advance untaped; the last segment is advanced with tape and reversed at once. Backward:
 * for each earlier segment, load its start, free it, advance the segment with tape and reverse it.
 * With {@link Placement#MEMORY} this is periodic checkpointing ({@code ceil(T/k) - 1} live slots);
 * with {@link Placement#SLOW} it is remote checkpointing (no memory slot). Either way the tape
 * holds at most one segment, and each step but those of the last segment is run twice.
 */
public final class PeriodicSchedule implements Schedule {

  private final long steps;
  private final long interval;
  private final Placement tier;

  /**
   * @param steps T
   * @param interval k, the segment length
   * @param tier where the checkpoints go
   */
  public PeriodicSchedule(long steps, long interval, Placement tier) {
    this.steps = PlannerChecks.atLeastOne("steps", steps);
    this.interval = PlannerChecks.atLeastOne("k", interval);
    if (tier == null) {
      throw new IllegalArgumentException("expected a tier, got null");
    }
    this.tier = tier;
  }

  /** Periodic checkpointing in memory every {@code k} steps. */
  public static PeriodicSchedule periodic(long steps, long k) {
    return new PeriodicSchedule(steps, k, Placement.MEMORY);
  }

  /** Remote checkpointing: to the slow tier every {@code k} steps. */
  public static PeriodicSchedule remote(long steps, long k) {
    return new PeriodicSchedule(steps, k, Placement.SLOW);
  }

  @Override
  public long steps() {
    return steps;
  }

  /** k. */
  public long interval() {
    return interval;
  }

  /** The checkpoints' tier. */
  public Placement tier() {
    return tier;
  }

  @Override
  public Iterator<Action> actions() {
    return new LazyActions(PeriodicSweep.of(0, steps, interval, tier, this::reverse));
  }

  private Fragment reverse(long a, long b, boolean loaded) {
    List<Fragment> taped = Fragment.tapeAndReverse(a, b, steps);
    if (!loaded) {
      return () -> taped;
    }
    return () -> List.of(Fragment.emit(new Action.Free(a, tier)), () -> taped);
  }

  @Override
  public Footprint footprint() {
    long checkpoints = PlannerChecks.segments(steps, interval) - 1;
    return new Footprint(tier == Placement.MEMORY ? checkpoints : 0, Math.min(interval, steps));
  }

  @Override
  public double predictedSeconds(CostModel cost) {
    long checkpoints = PlannerChecks.segments(steps, interval) - 1;
    TierCost access = cost.tier(tier);
    return checkpoints * interval * cost.forwardSeconds()
        + checkpoints * (access.writeSeconds() + access.readSeconds())
        + cost.storeAllSeconds(steps);
  }

  @Override
  public String description() {
    return (tier == Placement.MEMORY ? "periodic" : "remote") + "(k=" + interval + ")";
  }
}
