package dev.rewind.trainer.schedule;

import java.util.Iterator;
import java.util.List;

/**
 * Plain BPTT, the reference: one taped forward sweep over all T steps, then one reverse of all of
 * them. Holds the tape of T steps and no saved state.
 */
public final class StoreAllSchedule implements Schedule {

  private final long steps;

  public StoreAllSchedule(long steps) {
    this.steps = PlannerChecks.atLeastOne("steps", steps);
  }

  @Override
  public long steps() {
    return steps;
  }

  @Override
  public Iterator<Action> actions() {
    return List.<Action>of(
            new Action.Advance(0, steps, true),
            new Action.EndForward(),
            new Action.Reverse(0, steps))
        .iterator();
  }

  @Override
  public Footprint footprint() {
    return new Footprint(0, steps);
  }

  @Override
  public double predictedSeconds(CostModel cost) {
    return cost.storeAllSeconds(steps);
  }

  @Override
  public String description() {
    return "store-all";
  }
}
