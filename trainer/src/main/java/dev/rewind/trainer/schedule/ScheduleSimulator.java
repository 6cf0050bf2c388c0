package dev.rewind.trainer.schedule;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Replays actions symbolically, checking every rule of {@link Action} and counting what they cost.
 * Feed actions one by one with {@link #accept} (an executor can run one alongside itself) and call
 * {@link #finish}, or use {@link #simulate}. Holds the saved states and the taped ranges, never a
 * list of actions.
 */
public final class ScheduleSimulator {

  private final long steps;
  private final CostModel cost;
  private final Set<Long> memoryStates = new HashSet<>();
  private final Set<Long> slowStates = new HashSet<>();

  /** Taped ranges, start to end (exclusive), disjoint and not adjacent. */
  private final TreeMap<Long, Long> tape = new TreeMap<>();

  private long current;
  private long adjoint;
  private boolean forwardEnded;
  private long tapeSteps;
  private long actions;
  private long advancedSteps;
  private long tapedSteps;
  private long memorySaves;
  private long memoryLoads;
  private long slowSaves;
  private long slowLoads;
  private long peakMemorySlots;
  private long peakTapeSteps;
  private long peakSlowStates;
  private long peakBytes;
  private double predictedSeconds;

  /** A simulator for a schedule of {@code steps} steps under {@code cost}. */
  public ScheduleSimulator(long steps, CostModel cost) {
    if (steps < 1) {
      throw new IllegalArgumentException("expected steps >= 1, got " + steps);
    }
    if (cost == null) {
      throw new IllegalArgumentException("expected a cost model, got null");
    }
    this.steps = steps;
    this.cost = cost;
    this.adjoint = steps;
    this.peakBytes = cost.bytes(0, 0);
  }

  /** Replays all of {@code schedule}'s actions and returns the counts. */
  public static SimulationReport simulate(Schedule schedule, CostModel cost) {
    ScheduleSimulator simulator = new ScheduleSimulator(schedule.steps(), cost);
    Iterator<Action> it = schedule.actions();
    while (it.hasNext()) {
      simulator.accept(it.next());
    }
    return simulator.finish();
  }

  /** Checks and counts one action. */
  public void accept(Action action) {
    if (action instanceof Action.Advance a) {
      advance(a);
    } else if (action instanceof Action.Save s) {
      save(s);
    } else if (action instanceof Action.Load l) {
      load(l);
    } else if (action instanceof Action.Free f) {
      free(f);
    } else if (action instanceof Action.Reverse r) {
      reverse(r);
    } else if (action instanceof Action.EndForward) {
      endForward();
    }
    predictedSeconds += cost.seconds(action);
    actions++;
    updatePeaks();
  }

  /** Checks that the backward sweep completed and everything was released; returns the counts. */
  public SimulationReport finish() {
    check(forwardEnded, "the forward sweep never ended");
    check(adjoint == 0, "steps 0.." + (adjoint - 1) + " were never reversed");
    check(tape.isEmpty(), "tape still holds steps " + tape);
    check(memoryStates.isEmpty(), "memory still holds states " + memoryStates);
    check(slowStates.isEmpty(), "the slow tier still holds states " + slowStates);
    return new SimulationReport(
        steps,
        actions,
        advancedSteps,
        tapedSteps,
        memorySaves,
        memoryLoads,
        slowSaves,
        slowLoads,
        peakMemorySlots,
        peakTapeSteps,
        peakSlowStates,
        peakBytes,
        predictedSeconds);
  }

  private void advance(Action.Advance a) {
    check(a.from() == current, "advance " + a + " starts away from current state " + current);
    check(a.to() <= steps, "advance " + a + " goes past T=" + steps);
    if (a.taped()) {
      check(a.to() <= adjoint, "advance " + a + " tapes steps already reversed");
      Map.Entry<Long, Long> below = tape.floorEntry(a.to() - 1);
      check(
          below == null || below.getValue() <= a.from(),
          "advance " + a + " tapes steps already on the tape " + below);
      addTape(a.from(), a.to());
      tapedSteps += a.steps();
    }
    advancedSteps += a.steps();
    current = a.to();
  }

  private void addTape(long from, long to) {
    long start = from;
    long end = to;
    Map.Entry<Long, Long> left = tape.floorEntry(from);
    if (left != null && left.getValue() == from) {
      start = left.getKey();
    }
    Long rightEnd = tape.remove(to);
    if (rightEnd != null) {
      end = rightEnd;
    }
    tape.put(start, end);
    tapeSteps += to - from;
  }

  private void save(Action.Save s) {
    check(s.step() == current, "save " + s + " of a state that is not current (" + current + ")");
    check(states(s.tier()).add(s.step()), "save " + s + " of a state already saved there");
    if (s.tier() == Placement.MEMORY) {
      memorySaves++;
    } else {
      slowSaves++;
    }
  }

  private void load(Action.Load l) {
    check(forwardEnded, "load " + l + " during the forward sweep");
    check(states(l.tier()).contains(l.step()), "load " + l + " of a state never saved there");
    current = l.step();
    if (l.tier() == Placement.MEMORY) {
      memoryLoads++;
    } else {
      slowLoads++;
    }
  }

  private void free(Action.Free f) {
    check(states(f.tier()).remove(f.step()), "free " + f + " of a state not saved there");
  }

  private void reverse(Action.Reverse r) {
    check(forwardEnded, "reverse " + r + " before the forward sweep ended");
    check(r.to() == adjoint, "reverse " + r + " but the adjoint is at " + adjoint);
    Map.Entry<Long, Long> range = tape.floorEntry(r.from());
    check(
        range != null && range.getValue() >= r.to(),
        "reverse " + r + " of steps not all on the tape");
    tape.remove(range.getKey());
    if (range.getKey() < r.from()) {
      tape.put(range.getKey(), r.from());
    }
    if (range.getValue() > r.to()) {
      tape.put(r.to(), range.getValue());
    }
    tapeSteps -= r.steps();
    adjoint = r.from();
  }

  private void endForward() {
    check(!forwardEnded, "a second end of the forward sweep");
    check(current == steps, "end of the forward sweep at state " + current + ", not T=" + steps);
    forwardEnded = true;
  }

  private Set<Long> states(Placement tier) {
    return tier == Placement.MEMORY ? memoryStates : slowStates;
  }

  private void updatePeaks() {
    peakMemorySlots = Math.max(peakMemorySlots, memoryStates.size());
    peakTapeSteps = Math.max(peakTapeSteps, tapeSteps);
    peakSlowStates = Math.max(peakSlowStates, slowStates.size());
    peakBytes = Math.max(peakBytes, cost.bytes(memoryStates.size(), tapeSteps));
  }

  private void check(boolean ok, String problem) {
    if (!ok) {
      throw new InvalidScheduleException("action " + actions + " of T=" + steps + ": " + problem);
    }
  }
}
