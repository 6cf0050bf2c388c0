package dev.rewind.trainer.schedule;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Two-level optimal checkpointing (the problem of Disk-Revolve, Aupy et al. 2016, generalised to a
 * tape longer than one step): memory slots and a bounded tape in memory, plus a slow tier with the
 * cost model's per-state write and read times; the plan minimises the cost model's predicted time.
 *
 * <p>The plan family: disk checkpoints are saved during the forward sweep at chosen states; each
 * disk segment is then reversed, from its checkpoint, by the optimal memory-level plan of {@link
 * MemoryPlan} with {@code slots} memory slots and a tape of at most {@code tapeSteps} steps (the
 * last segment directly from the forward sweep). What is optimal:
 *
 * <ul>
 *   <li>if {@code T <= maxPeriod}: the exact optimum of that family (OptInf-style dynamic
 *       programming over where the disk checkpoints go, each read once);
 *   <li>otherwise (Periodic-Disk-Revolve structure): the optimum over the members whose disk
 *       checkpoints are equally spaced, period {@code m <= maxPeriod}, chosen by exact evaluation
 *       of every m for this T.
 * </ul>
 *
 * The family contains remote(k) for {@code k <= min(tapeSteps, maxPeriod)}, double(K,k) for {@code
 * k <= tapeSteps}, {@code ceil(K/k) - 1 <= slots} and {@code K <= maxPeriod}, and Revolve with
 * {@code slots} slots (for {@code T <= maxPeriod}, memory access free), so this schedule is never
 * predicted slower than those under the cost model it was planned for. Memory holds at most {@code
 * slots} slots and {@code tapeSteps} taped steps. Planning costs O(B^2 min(B, slots)) time for
 * {@code B = min(T, maxPeriod)}, generation O(slots) memory.
 */
public final class TwoLevelSchedule implements Schedule {

  /** A planning bound keeping the dynamic programme around a second at most. */
  public static final int DEFAULT_MAX_PERIOD = 512;

  /** Table cells (bound^2 times slots) beyond which planning would take minutes. */
  static final long MAX_PLANNING_CELLS = 2_000_000_000L;

  private final long steps;
  private final int slots;
  private final int tapeSteps;
  private final int maxPeriod;
  private final CostModel cost;
  private final MemoryPlan plan;

  /** Exact mode: first disk segment length per suffix length, 0 for none; null when periodic. */
  private final int[] diskSplits;

  /** Periodic mode: the disk period; 0 in exact mode. */
  private final int period;

  /**
   * Plans the schedule.
   *
   * @param steps T
   * @param slots memory slots for saved states
   * @param tapeSteps most taped steps held at once, at least 1
   * @param cost the cost model to minimise
   * @param maxPeriod the bound B on exact planning and on the disk period
   */
  public TwoLevelSchedule(long steps, long slots, long tapeSteps, CostModel cost, int maxPeriod) {
    this.steps = PlannerChecks.atLeastOne("steps", steps);
    if (slots < 0) {
      throw new IllegalArgumentException("expected slots >= 0, got " + slots);
    }
    PlannerChecks.atLeastOne("tapeSteps", tapeSteps);
    PlannerChecks.atLeastOne("maxPeriod", maxPeriod);
    this.maxPeriod = maxPeriod;
    this.cost = PlannerChecks.costModel(cost);
    int bound = (int) Math.min(steps, maxPeriod);
    long cells = (long) bound * bound * (Math.min(slots, bound) + 1);
    if (cells > MAX_PLANNING_CELLS) {
      throw new IllegalArgumentException(
          "two-level planning with max-period "
              + maxPeriod
              + " and "
              + slots
              + " slots needs about "
              + cells
              + " table cells, expected at most "
              + MAX_PLANNING_CELLS
              + ": lower max-period or slots");
    }
    this.slots = (int) Math.min(slots, bound);
    this.tapeSteps = (int) Math.min(tapeSteps, bound);
    this.plan = MemoryPlan.optimal(bound, this.slots, this.tapeSteps, cost);
    if (steps <= maxPeriod) {
      this.diskSplits = exactSplits(plan, (int) steps, this.slots, cost);
      this.period = 0;
    } else {
      this.diskSplits = null;
      this.period = bestPeriod(plan, steps, this.slots, cost);
    }
  }

  /** Plans with {@link #DEFAULT_MAX_PERIOD}. */
  public static TwoLevelSchedule optimal(long steps, long slots, long tapeSteps, CostModel cost) {
    return new TwoLevelSchedule(steps, slots, tapeSteps, cost, DEFAULT_MAX_PERIOD);
  }

  private static int[] exactSplits(MemoryPlan plan, int steps, int slots, CostModel cost) {
    double[] best = new double[steps + 1];
    int[] splits = new int[steps + 1];
    for (int l = 1; l <= steps; l++) {
      best[l] = plan.seconds(MemoryPlan.Start.UNSAVED, l, slots);
      for (int j = 1; j < l; j++) {
        double candidate = diskSegment(plan, j, slots, cost) + best[l - j];
        if (candidate < best[l]) {
          best[l] = candidate;
          splits[l] = j;
        }
      }
    }
    return splits;
  }

  /** A disk segment of {@code length} that is not the last: sweep, save, load, reverse. */
  private static double diskSegment(MemoryPlan plan, int length, int slots, CostModel cost) {
    return cost.slow().writeSeconds()
        + length * cost.forwardSeconds()
        + cost.slow().readSeconds()
        + plan.seconds(MemoryPlan.Start.SLOW, length, slots);
  }

  private static int bestPeriod(MemoryPlan plan, long steps, int slots, CostModel cost) {
    int best = 1;
    double bestSeconds = Double.POSITIVE_INFINITY;
    for (int m = 1; m <= plan.maxLength(); m++) {
      double seconds = periodicSeconds(plan, steps, m, slots, cost);
      if (seconds < bestSeconds) {
        bestSeconds = seconds;
        best = m;
      }
    }
    return best;
  }

  private static double periodicSeconds(
      MemoryPlan plan, long steps, int m, int slots, CostModel cost) {
    long full = PlannerChecks.segments(steps, m) - 1;
    int last = (int) (steps - full * m);
    return full * diskSegment(plan, m, slots, cost)
        + plan.seconds(MemoryPlan.Start.UNSAVED, last, slots);
  }

  @Override
  public long steps() {
    return steps;
  }

  /** The disk period in periodic mode, or 0 when the disk checkpoints are placed exactly. */
  public int period() {
    return period;
  }

  @Override
  public Iterator<Action> actions() {
    if (diskSplits != null) {
      return new LazyActions(exact(0, (int) steps));
    }
    return new LazyActions(
        PeriodicSweep.of(0, steps, period, Placement.SLOW, this::reverseDiskSegment));
  }

  private Fragment exact(long a, int length) {
    int j = diskSplits[length];
    if (j == 0) {
      return memory(MemoryPlan.Start.UNSAVED, a, length, slots);
    }
    return () ->
        List.of(
            Fragment.emit(new Action.Save(a, Placement.SLOW)),
            Fragment.emit(new Action.Advance(a, a + j, false)),
            exact(a + j, length - j),
            Fragment.emit(new Action.Load(a, Placement.SLOW)),
            memory(MemoryPlan.Start.SLOW, a, j, slots),
            Fragment.emit(new Action.Free(a, Placement.SLOW)));
  }

  /** A disk segment {@code [a, b)}: its memory-level plan, then its disk checkpoint freed. */
  private Fragment reverseDiskSegment(long a, long b, boolean loaded) {
    if (!loaded) {
      return memory(MemoryPlan.Start.UNSAVED, a, (int) (b - a), slots);
    }
    return () ->
        List.of(
            memory(MemoryPlan.Start.SLOW, a, (int) (b - a), slots),
            Fragment.emit(new Action.Free(a, Placement.SLOW)));
  }

  /** The memory-level plan for {@code [a, a + length)}, current state at {@code a}. */
  private Fragment memory(MemoryPlan.Start start, long a, int length, int free) {
    return () -> {
      int code = plan.choice(start, length, free);
      int p = MemoryPlan.parameter(code);
      Placement startTier = start == MemoryPlan.Start.SLOW ? Placement.SLOW : Placement.MEMORY;
      List<Fragment> parts = new ArrayList<>(6);
      switch (MemoryPlan.kind(code)) {
        case MemoryPlan.TAPE:
          parts.addAll(Fragment.tapeAndReverse(a, a + length, steps));
          break;
        case MemoryPlan.TAIL:
          parts.add(Fragment.emit(new Action.Advance(a, a + length - p, false)));
          parts.addAll(Fragment.tapeAndReverse(a + length - p, a + length, steps));
          parts.add(Fragment.emit(new Action.Load(a, startTier)));
          parts.add(memory(start, a, length - p, free));
          break;
        case MemoryPlan.SPLIT:
          parts.add(Fragment.emit(new Action.Advance(a, a + p, false)));
          parts.add(Fragment.emit(new Action.Save(a + p, Placement.MEMORY)));
          parts.add(memory(MemoryPlan.Start.MEMORY, a + p, length - p, free - 1));
          parts.add(Fragment.emit(new Action.Free(a + p, Placement.MEMORY)));
          parts.add(Fragment.emit(new Action.Load(a, startTier)));
          parts.add(memory(start, a, p, free));
          break;
        case MemoryPlan.SAVE_MEMORY:
          parts.add(Fragment.emit(new Action.Save(a, Placement.MEMORY)));
          parts.add(memory(MemoryPlan.Start.MEMORY, a, length, free - 1));
          parts.add(Fragment.emit(new Action.Free(a, Placement.MEMORY)));
          break;
        case MemoryPlan.SAVE_SLOW:
          parts.add(Fragment.emit(new Action.Save(a, Placement.SLOW)));
          parts.add(memory(MemoryPlan.Start.SLOW, a, length, free));
          parts.add(Fragment.emit(new Action.Free(a, Placement.SLOW)));
          break;
        default:
          throw new IllegalStateException("no plan for length " + length + ", slots " + free);
      }
      return parts;
    };
  }

  @Override
  public Footprint footprint() {
    return new Footprint(slots, tapeSteps);
  }

  @Override
  public double predictedSeconds(CostModel other) {
    MemoryPlan costed = other.equals(cost) ? plan : plan.withCosts(other);
    if (diskSplits == null) {
      return periodicSeconds(costed, steps, period, slots, other);
    }
    double total = 0;
    int length = (int) steps;
    while (diskSplits[length] != 0) {
      total += diskSegment(costed, diskSplits[length], slots, other);
      length -= diskSplits[length];
    }
    return total + costed.seconds(MemoryPlan.Start.UNSAVED, length, slots);
  }

  @Override
  public String description() {
    return "two-level(slots=" + slots + ",tape=" + tapeSteps + ",max-period=" + maxPeriod + ")";
  }
}
