package dev.rewind.trainer.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * Picks the schedule with the least predicted time whose memory fits a byte budget.
 *
 * <p>Candidates, each with the parameters that fit: store-all; periodic(k) and remote(k) over a
 * geometric grid of k (ratio about 1.06); Revolve with the most slots that fit; Double
 * Checkpointing over a grid of (k, K = multiple of k) with the most memory checkpoints that fit;
 * two-level with planning bounds B of 256, 1024 and 4096 steps and tapes of 1, B/16, B/4 and B
 * steps, each with as many slots as fit up to a cap that keeps its dynamic programme near 10^7
 * cells. Memory of a candidate is its declared {@link Footprint} in bytes, an upper bound on what
 * it holds. The parameter search is a grid, so "least" is among the candidates tried.
 */
public final class AutoPlanner {

  private static final double GRID_RATIO = 1.06;

  /** Planning bounds (max period) tried for two-level. */
  private static final long[] TWO_LEVEL_BOUNDS = {256, 1024, 4096};

  /** Tape lengths tried for two-level, as divisors of the bound (MAX_VALUE: a one-step tape). */
  private static final long[] TWO_LEVEL_TAPE_DIVISORS = {Long.MAX_VALUE, 16, 4, 1};

  /** Keeps each two-level dynamic programme (bound^2 * slots cells) to tens of milliseconds. */
  private static final long TWO_LEVEL_OPERATIONS = 15_000_000;

  private AutoPlanner() {}

  /** The fastest fitting schedule, or IllegalArgumentException naming the bytes needed. */
  public static Choice choose(long steps, MemoryBudget budget, CostModel cost) {
    PlannerChecks.atLeastOne("steps", steps);
    PlannerChecks.costModel(cost);
    if (budget == null) {
      throw new IllegalArgumentException("expected a memory budget, got null");
    }
    long minimum = cost.bytes(0, 1);
    if (budget.bytes() < minimum) {
      throw new BudgetExceededException(
          "no schedule fits "
              + budget.bytes()
              + " bytes: the smallest, remote(k=1), needs "
              + minimum
              + " bytes ("
              + MemoryBudget.mebibytes(minimum)
              + ") for one state and one step of tape");
    }
    List<Candidate> best = new ArrayList<>();
    Candidates candidates = new Candidates(steps, budget.bytes(), cost);
    candidates.storeAll().ifPresent(best::add);
    candidates.best(k -> PeriodicSchedule.periodic(steps, k), grid(steps)).ifPresent(best::add);
    candidates.best(k -> PeriodicSchedule.remote(steps, k), grid(steps)).ifPresent(best::add);
    candidates.revolve().ifPresent(best::add);
    candidates.doubleCheckpointing(grid(steps)).ifPresent(best::add);
    candidates.twoLevel().ifPresent(best::add);
    best.sort(Comparator.comparingDouble(Candidate::predictedSeconds));
    Candidate winner = best.get(0);
    String explanation =
        String.format(
            Locale.ROOT,
            "%s: predicted %.3fx store-all, peak %s of %s",
            winner.schedule().description(),
            winner.predictedSeconds() / cost.storeAllSeconds(steps),
            MemoryBudget.mebibytes(winner.bytes()),
            MemoryBudget.mebibytes(budget.bytes()));
    return new Choice(winner.schedule(), explanation, List.copyOf(best));
  }

  /**
   * The schedule {@link #choose} picks, without scoring every candidate when store-all fits: every
   * schedule runs at least one taped forward and one reverse per step, which is all store-all runs,
   * so no candidate is predicted faster. Training plans with this; reports that list the candidates
   * call {@code choose}.
   */
  public static Schedule fastest(long steps, MemoryBudget budget, CostModel cost) {
    PlannerChecks.atLeastOne("steps", steps);
    PlannerChecks.costModel(cost);
    if (budget != null) {
      Optional<Candidate> storeAll = new Candidates(steps, budget.bytes(), cost).storeAll();
      if (storeAll.isPresent()) {
        return storeAll.get().schedule();
      }
    }
    return choose(steps, budget, cost).schedule();
  }

  /** Interval lengths 1..steps on a geometric grid. */
  static TreeSet<Long> grid(long steps) {
    TreeSet<Long> values = new TreeSet<>();
    for (double k = 1; k < steps; k = Math.max(k + 1, k * GRID_RATIO)) {
      values.add((long) k);
    }
    values.add(steps);
    return values;
  }

  /**
   * A candidate considered: schedule, predicted time, declared peak bytes.
   *
   * @param schedule the planned schedule
   * @param predictedSeconds its predicted time under the cost model
   * @param bytes its declared peak memory
   */
  public record Candidate(Schedule schedule, double predictedSeconds, long bytes) {}

  /**
   * The result of {@link #choose}.
   *
   * @param schedule the chosen schedule
   * @param explanation e.g. {@code double(K=1000,k=32): predicted 1.080x store-all, peak 410.0 MiB
   *     of 512.0 MiB}
   * @param considered the best candidate of each kind that fits, fastest first
   */
  public record Choice(Schedule schedule, String explanation, List<Candidate> considered) {}

  /** Builds and scores the candidates of one request. */
  private static final class Candidates {
    private final long steps;
    private final long budget;
    private final CostModel cost;

    Candidates(long steps, long budget, CostModel cost) {
      this.steps = steps;
      this.budget = budget;
      this.cost = cost;
    }

    Optional<Candidate> storeAll() {
      return score(new StoreAllSchedule(steps));
    }

    Optional<Candidate> best(LongFunction<Schedule> family, TreeSet<Long> ks) {
      Optional<Candidate> best = Optional.empty();
      for (long k : ks) {
        best = faster(best, score(family.apply(k)));
      }
      return best;
    }

    Optional<Candidate> revolve() {
      long slots = Math.min(steps, slotsLeft(1));
      return slots < 1 ? Optional.empty() : score(new RevolveSchedule(steps, slots));
    }

    Optional<Candidate> doubleCheckpointing(TreeSet<Long> ks) {
      Optional<Candidate> best = Optional.empty();
      for (long k : ks) {
        long slots = slotsLeft(k);
        if (slots < 0) {
          break;
        }
        long maxCoarse = slots + 1 > steps / k ? steps : (slots + 1) * k;
        for (long multiple : grid(Math.max(1, maxCoarse / k))) {
          best = faster(best, score(new DoubleCheckpointSchedule(steps, multiple * k, k)));
        }
      }
      return best;
    }

    Optional<Candidate> twoLevel() {
      Optional<Candidate> best = Optional.empty();
      for (long bound : TWO_LEVEL_BOUNDS) {
        int maxPeriod = (int) Math.min(bound, steps);
        long slotsCap = Math.max(0, TWO_LEVEL_OPERATIONS / ((long) maxPeriod * maxPeriod) - 1);
        for (long divisor : TWO_LEVEL_TAPE_DIVISORS) {
          long tape = Math.min(Math.max(1, maxPeriod / divisor), tapeLeft());
          long slots = Math.min(slotsLeft(tape), slotsCap);
          if (tape >= 1 && slots >= 0) {
            best = faster(best, score(new TwoLevelSchedule(steps, slots, tape, cost, maxPeriod)));
          }
        }
        if (maxPeriod == steps) {
          break;
        }
      }
      return best;
    }

    /** Memory slots that fit next to the current state and a tape of {@code tape} steps. */
    private long slotsLeft(long tape) {
      long left = budget - cost.bytes(0, tape);
      return left < 0 ? -1 : left / cost.stateBytes();
    }

    /** Most tape steps that fit next to the current state. */
    private long tapeLeft() {
      long left = budget - cost.stateBytes();
      return cost.tapeBytesPerStep() == 0 ? steps : left / cost.tapeBytesPerStep();
    }

    private Optional<Candidate> score(Schedule schedule) {
      long bytes = schedule.footprint().bytes(cost);
      if (bytes > budget) {
        return Optional.empty();
      }
      return Optional.of(new Candidate(schedule, schedule.predictedSeconds(cost), bytes));
    }

    private static Optional<Candidate> faster(Optional<Candidate> a, Optional<Candidate> b) {
      if (a.isEmpty()) {
        return b;
      }
      if (b.isEmpty()) {
        return a;
      }
      return b.get().predictedSeconds() < a.get().predictedSeconds() ? b : a;
    }
  }
}
