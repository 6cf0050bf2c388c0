package dev.rewind.trainer.schedule;

import java.util.Iterator;
import java.util.List;

/**
 * Double Checkpointing (Bencheikh, Finkbeiner, Neftci 2024): coarse checkpoints every {@code K}
 * steps in the slow tier, fine checkpoints every {@code k} steps in memory while a coarse segment
 * is reversed.
 *
 * <p>Forward sweep: for each coarse segment but the last, save its start to {@link Placement#SLOW}
 * and advance untaped. The last coarse segment is reversed at once from the current state.
 * Backward: for each earlier coarse segment, load its start from the slow tier and free it there,
 * then reverse it by fine checkpointing: advance untaped over the segment saving the start of each
 * fine sub-segment but the last to memory, advance the last sub-segment with tape and reverse it,
 * then for each earlier sub-segment load its start, free it, advance it with tape and reverse it. A
 * coarse segment no longer than {@code k} is simply advanced with tape and reversed (the whole tape
 * fits). Memory holds at most {@code ceil(K/k) - 1} slots and {@code k} taped steps; the slow tier
 * holds {@code ceil(T/K) - 1} states.
 */
public final class DoubleCheckpointSchedule implements Schedule {

  private final long steps;
  private final long coarse;
  private final long fine;

  /**
   * @param steps T
   * @param coarse K, the slow-tier checkpoint interval
   * @param fine k, the memory checkpoint interval inside a coarse segment, at most K
   */
  public DoubleCheckpointSchedule(long steps, long coarse, long fine) {
    this.steps = PlannerChecks.atLeastOne("steps", steps);
    this.coarse = PlannerChecks.atLeastOne("K", coarse);
    this.fine = PlannerChecks.atLeastOne("k", fine);
    if (fine > coarse) {
      throw new IllegalArgumentException("expected k <= K, got k=" + fine + ", K=" + coarse);
    }
  }

  @Override
  public long steps() {
    return steps;
  }

  /** K. */
  public long coarseInterval() {
    return coarse;
  }

  /** k. */
  public long fineInterval() {
    return fine;
  }

  @Override
  public Iterator<Action> actions() {
    return new LazyActions(PeriodicSweep.of(0, steps, coarse, Placement.SLOW, this::reverseCoarse));
  }

  /** Reverses a coarse segment {@code [a, b)} by fine checkpoints in memory. */
  private Fragment reverseCoarse(long a, long b, boolean loaded) {
    Fragment fine = PeriodicSweep.of(a, b, this.fine, Placement.MEMORY, this::reverseFine);
    if (!loaded) {
      return fine;
    }
    return () -> List.of(Fragment.emit(new Action.Free(a, Placement.SLOW)), fine);
  }

  private Fragment reverseFine(long a, long b, boolean loaded) {
    List<Fragment> taped = Fragment.tapeAndReverse(a, b, steps);
    if (!loaded) {
      return () -> taped;
    }
    return () -> List.of(Fragment.emit(new Action.Free(a, Placement.MEMORY)), () -> taped);
  }

  @Override
  public Footprint footprint() {
    long longest = Math.min(coarse, steps);
    return new Footprint(PlannerChecks.segments(longest, fine) - 1, Math.min(fine, longest));
  }

  @Override
  public double predictedSeconds(CostModel cost) {
    long full = PlannerChecks.segments(steps, coarse) - 1;
    long lastLength = steps - full * coarse;
    TierCost slow = cost.slow();
    return full * coarse * cost.forwardSeconds()
        + full * (slow.writeSeconds() + slow.readSeconds())
        + full * fineOverhead(coarse, cost)
        + fineOverhead(lastLength, cost)
        + cost.storeAllSeconds(steps);
  }

  /** Time spent reversing a coarse segment of {@code length} beyond taping and reversing it. */
  private double fineOverhead(long length, CostModel cost) {
    long checkpoints = PlannerChecks.segments(length, fine) - 1;
    TierCost memory = cost.memory();
    return checkpoints * fine * cost.forwardSeconds()
        + checkpoints * (memory.writeSeconds() + memory.readSeconds());
  }

  @Override
  public String description() {
    return "double(K=" + coarse + ",k=" + fine + ")";
  }
}
