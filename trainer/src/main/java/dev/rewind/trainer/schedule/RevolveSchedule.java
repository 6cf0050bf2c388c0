package dev.rewind.trainer.schedule;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Binomial checkpointing (Revolve, Griewank and Walther 2000) with {@code s} memory slots: the
 * fewest untaped recomputations possible with {@code s} slots, {@code r T - beta(s + 1, r - 1)}
 * untaped steps in all (first sweep included) where {@code beta(s, r - 1) < T <= beta(s, r)}. Each
 * step is taped just before it is reversed, so the tape holds one step.
 *
 * <p>Reversing {@code [a, b)} with the current state at {@code a}, saved in one of {@code c} slots:
 * a single step is advanced with tape and reversed; with one slot, each step {@code i} from the
 * last is reached by loading {@code a} and advancing untaped; otherwise the state at {@code a + j}
 * (j from {@link Binomial#split}) is saved, {@code [a + j, b)} is reversed with {@code c - 1}
 * slots, its slot freed, {@code a} loaded and {@code [a, a + j)} reversed with {@code c} slots.
 * Generated lazily with O(s) pending fragments.
 */
public final class RevolveSchedule implements Schedule {

  private final long steps;
  private final long slots;

  /**
   * @param steps T
   * @param slots s, memory slots including the one holding state 0
   */
  public RevolveSchedule(long steps, long slots) {
    this.steps = PlannerChecks.atLeastOne("steps", steps);
    this.slots = PlannerChecks.atLeastOne("slots", slots);
  }

  @Override
  public long steps() {
    return steps;
  }

  /** s. */
  public long slots() {
    return slots;
  }

  @Override
  public Iterator<Action> actions() {
    return new LazyActions(
        () ->
            List.of(
                Fragment.emit(new Action.Save(0, Placement.MEMORY)),
                reverse(0, steps, slots),
                Fragment.emit(new Action.Free(0, Placement.MEMORY))));
  }

  private Fragment reverse(long a, long b, long c) {
    if (b - a == 1) {
      return () -> Fragment.tapeAndReverse(a, a + 1, steps);
    }
    if (c == 1) {
      return oneSlot(a, b - 1);
    }
    long j = a + Binomial.split(b - a, c);
    return () ->
        List.of(
            Fragment.emit(new Action.Advance(a, j, false)),
            Fragment.emit(new Action.Save(j, Placement.MEMORY)),
            reverse(j, b, c - 1),
            Fragment.emit(new Action.Free(j, Placement.MEMORY)),
            Fragment.emit(new Action.Load(a, Placement.MEMORY)),
            reverse(a, j, c));
  }

  /** Reverses steps {@code step} down to {@code a}, current state at {@code a}, saved. */
  private Fragment oneSlot(long a, long step) {
    if (step == a) {
      return () -> Fragment.tapeAndReverse(a, a + 1, steps);
    }
    return () ->
        List.of(
            Fragment.emit(new Action.Advance(a, step, false)),
            () -> Fragment.tapeAndReverse(step, step + 1, steps),
            Fragment.emit(new Action.Load(a, Placement.MEMORY)),
            oneSlot(a, step - 1));
  }

  @Override
  public Footprint footprint() {
    return new Footprint(Math.min(slots, steps), 1);
  }

  @Override
  public double predictedSeconds(CostModel cost) {
    long[] accesses = accesses(steps, slots, new HashMap<>());
    TierCost memory = cost.memory();
    return Binomial.minimalUntapedSteps(steps, slots) * cost.forwardSeconds()
        + cost.storeAllSeconds(steps)
        + (1 + accesses[0]) * memory.writeSeconds()
        + accesses[1] * memory.readSeconds();
  }

  /** Memory saves and loads of {@link #reverse}, memoised over (length, slots). */
  private static long[] accesses(long length, long c, Map<List<Long>, long[]> memo) {
    if (length == 1) {
      return new long[] {0, 0};
    }
    if (c == 1) {
      return new long[] {0, length - 1};
    }
    if (c + 1 >= length) {
      // one repetition: the splits peel one step at a time, closed form avoids deep recursion
      return new long[] {Math.min(length - 1, c - 1), length - 1};
    }
    List<Long> key = List.of(length, c);
    long[] known = memo.get(key);
    if (known != null) {
      return known;
    }
    long j = Binomial.split(length, c);
    long[] right = accesses(length - j, c - 1, memo);
    long[] left = accesses(j, c, memo);
    long[] result = {1 + right[0] + left[0], 1 + right[1] + left[1]};
    memo.put(key, result);
    return result;
  }

  @Override
  public String description() {
    return "revolve(slots=" + slots + ")";
  }
}
