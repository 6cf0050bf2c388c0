package dev.rewind.trainer.schedule;

/**
 * Optimal reversal of one chain segment with memory slots, a tape of bounded length and, for the
 * segment's start, the slow tier: the memory level of {@link TwoLevelSchedule}, solved by dynamic
 * programming over (length, free slots, where the start is saved).
 *
 * <p>{@code G(start, l, f)} is the least time to reverse {@code l} steps whose first state is
 * current, with {@code f} free memory slots and the start saved as {@code start} says. The plan
 * family, each option a rule of the recursion:
 *
 * <ul>
 *   <li>{@code TAPE}: if {@code l <= tapeSteps}, advance all {@code l} steps with tape and reverse
 *       them;
 *   <li>{@code TAIL(t)}: (start saved) advance {@code l - t} steps untaped, the last {@code t <=
 *       tapeSteps} with tape, reverse those, load the start and solve {@code l - t};
 *   <li>{@code SPLIT(j)}: (start saved, {@code f >= 1}) advance {@code j} steps untaped, save that
 *       state to memory, solve the right part {@code l - j} with {@code f - 1} slots, free the
 *       slot, load the start and solve the left part {@code j} with {@code f} slots;
 *   <li>{@code SAVE_MEMORY}: (start in the slow tier or unsaved, {@code f >= 1}) save the start to
 *       memory, solve with {@code f - 1} slots, free it;
 *   <li>{@code SAVE_SLOW}: (start unsaved) save the start to the slow tier, solve, free it.
 * </ul>
 *
 * With {@code tapeSteps = 1}, no slow tier and free memory access this is Revolve's recursion; fine
 * checkpointing (Double Checkpointing's inner level) and periodic checkpointing are members.
 * Filling the table costs O(maxLength^2 min(slots, maxLength)) time.
 */
final class MemoryPlan {

  /** Where a segment's start state is saved when the segment is to be reversed. */
  enum Start {
    // solved in this order: a decision only refers to earlier starts at the same size
    MEMORY,
    SLOW,
    UNSAVED
  }

  static final int TAPE = 1;
  static final int TAIL = 2;
  static final int SPLIT = 3;
  static final int SAVE_MEMORY = 4;
  static final int SAVE_SLOW = 5;

  private final int maxLength;
  private final int slots;
  private final int tapeSteps;

  /** [start][length][free slots, at most min(length, slots)]: choice code (param << 3 | kind). */
  private final int[][][] choices;

  private final double[][][] seconds;

  private MemoryPlan(int maxLength, int slots, int tapeSteps) {
    this.maxLength = maxLength;
    this.slots = slots;
    this.tapeSteps = tapeSteps;
    int starts = Start.values().length;
    this.choices = new int[starts][maxLength + 1][];
    this.seconds = new double[starts][maxLength + 1][];
    for (int s = 0; s < starts; s++) {
      for (int l = 1; l <= maxLength; l++) {
        choices[s][l] = new int[cap(l) + 1];
        seconds[s][l] = new double[cap(l) + 1];
      }
    }
  }

  /** The optimal plans for every length up to {@code maxLength} and slots up to {@code slots}. */
  static MemoryPlan optimal(int maxLength, int slots, int tapeSteps, CostModel cost) {
    MemoryPlan plan = new MemoryPlan(maxLength, slots, tapeSteps);
    for (int l = 1; l <= maxLength; l++) {
      for (int f = 0; f <= plan.cap(l); f++) {
        for (Start start : Start.values()) {
          plan.solve(start, l, f, cost);
        }
      }
    }
    return plan;
  }

  /** Least predicted time of reversing {@code length} steps with {@code free} slots. */
  double seconds(Start start, int length, long free) {
    return seconds[start.ordinal()][length][index(length, free)];
  }

  /** The optimal first decision, as a code: {@link #kind} and {@link #parameter}. */
  int choice(Start start, int length, long free) {
    return choices[start.ordinal()][length][index(length, free)];
  }

  static int kind(int choice) {
    return choice & 7;
  }

  static int parameter(int choice) {
    return choice >>> 3;
  }

  int maxLength() {
    return maxLength;
  }

  /**
   * Predicted time of the same (fixed) plans under another cost model: the table's decisions are
   * kept, their costs recomputed.
   */
  MemoryPlan withCosts(CostModel cost) {
    MemoryPlan other = new MemoryPlan(maxLength, slots, tapeSteps);
    for (int l = 1; l <= maxLength; l++) {
      for (int f = 0; f <= cap(l); f++) {
        for (Start start : Start.values()) {
          int code = choices[start.ordinal()][l][f];
          other.choices[start.ordinal()][l][f] = code;
          other.seconds[start.ordinal()][l][f] =
              other.cost(start, l, f, kind(code), parameter(code), cost);
        }
      }
    }
    return other;
  }

  private void solve(Start start, int l, int f, CostModel cost) {
    double best = Double.POSITIVE_INFINITY;
    int bestCode = 0;
    if (l <= tapeSteps) {
      best = cost(start, l, f, TAPE, 0, cost);
      bestCode = TAPE;
    }
    if (start != Start.UNSAVED) {
      for (int t = 1; t <= Math.min(tapeSteps, l - 1); t++) {
        double candidate = cost(start, l, f, TAIL, t, cost);
        if (candidate < best) {
          best = candidate;
          bestCode = t << 3 | TAIL;
        }
      }
      if (f >= 1) {
        // SPLIT inlined: this loop is the O(l) inner loop of the whole table
        double fixed =
            cost.memory().writeSeconds()
                + (start == Start.SLOW ? cost.slow().readSeconds() : cost.memory().readSeconds());
        double[][] right = seconds[Start.MEMORY.ordinal()];
        double[][] left = seconds[start.ordinal()];
        for (int j = 1; j < l; j++) {
          double candidate =
              j * cost.forwardSeconds()
                  + fixed
                  + right[l - j][Math.min(f - 1, cap(l - j))]
                  + left[j][Math.min(f, cap(j))];
          if (candidate < best) {
            best = candidate;
            bestCode = j << 3 | SPLIT;
          }
        }
      }
    }
    if (start != Start.MEMORY && f >= 1) {
      double candidate = cost(start, l, f, SAVE_MEMORY, 0, cost);
      if (candidate < best) {
        best = candidate;
        bestCode = SAVE_MEMORY;
      }
    }
    if (start == Start.UNSAVED) {
      double candidate = cost(start, l, f, SAVE_SLOW, 0, cost);
      if (candidate < best) {
        best = candidate;
        bestCode = SAVE_SLOW;
      }
    }
    seconds[start.ordinal()][l][f] = best;
    choices[start.ordinal()][l][f] = bestCode;
  }

  /** Time of one decision given the (already filled) times of the smaller problems it leaves. */
  private double cost(Start start, int l, int f, int kind, int p, CostModel cost) {
    double reload = start == Start.SLOW ? cost.slow().readSeconds() : cost.memory().readSeconds();
    switch (kind) {
      case TAPE:
        return l * cost.tapedStepSeconds();
      case TAIL:
        return (l - p) * cost.forwardSeconds()
            + p * cost.tapedStepSeconds()
            + reload
            + seconds(start, l - p, f);
      case SPLIT:
        return p * cost.forwardSeconds()
            + cost.memory().writeSeconds()
            + seconds(Start.MEMORY, l - p, f - 1)
            + reload
            + seconds(start, p, f);
      case SAVE_MEMORY:
        return cost.memory().writeSeconds() + seconds(Start.MEMORY, l, f - 1);
      case SAVE_SLOW:
        return cost.slow().writeSeconds() + seconds(Start.SLOW, l, f);
      default:
        throw new IllegalStateException("no plan decided for length " + l + ", slots " + f);
    }
  }

  private int cap(int length) {
    return Math.min(length, slots);
  }

  private int index(int length, long free) {
    if (length < 1 || length > maxLength || free < 0) {
      throw new IllegalArgumentException(
          "expected 1 <= length <= " + maxLength + " and free >= 0, got " + length + ", " + free);
    }
    return (int) Math.min(free, cap(length));
  }
}
