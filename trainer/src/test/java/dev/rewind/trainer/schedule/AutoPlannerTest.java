package dev.rewind.trainer.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class AutoPlannerTest {

  private static final CostModel COST = TestCosts.plausible();

  @Test
  void picksStoreAllWhenItFits() {
    AutoPlanner.Choice choice = AutoPlanner.choose(1000, MemoryBudget.parse("512m"), COST);
    assertEquals("store-all", choice.schedule().description());
    assertTrue(choice.explanation().startsWith("store-all: predicted 1.000x store-all, peak "));
  }

  @Property(tries = 15)
  void choiceFitsAndIsTheFastestCandidate(
      @ForAll @LongRange(min = 1, max = 200_000) long steps,
      @ForAll @LongRange(min = 200, max = 200_000) long budgetKib) {
    MemoryBudget budget = new MemoryBudget(budgetKib * 1024);
    AutoPlanner.Choice choice = AutoPlanner.choose(steps, budget, COST);
    Schedule schedule = choice.schedule();
    assertTrue(schedule.footprint().bytes(COST) <= budget.bytes(), choice.explanation());
    double predicted = schedule.predictedSeconds(COST);
    for (AutoPlanner.Candidate candidate : choice.considered()) {
      assertTrue(candidate.bytes() <= budget.bytes());
      assertTrue(predicted <= candidate.predictedSeconds(), candidate.toString());
    }
    if (steps <= 20_000) {
      SimulationReport report = SegmentedSchedulesTest.checked(schedule);
      assertTrue(ScheduleSimulator.simulate(schedule, COST).peakBytes() <= budget.bytes());
      assertTrue(report.recomputedSteps() >= 0);
    }
  }

  @Property(tries = 30)
  void fastestIsWhatChooseWouldPick(
      @ForAll @LongRange(min = 1, max = 5_000) long steps,
      @ForAll @LongRange(min = 200, max = 100_000) long budgetKib,
      @ForAll boolean slowDisk) {
    CostModel cost = slowDisk ? TestCosts.slowDisk() : COST;
    MemoryBudget budget = new MemoryBudget(budgetKib * 1024);
    Schedule chosen = AutoPlanner.choose(steps, budget, cost).schedule();
    Schedule fastest = AutoPlanner.fastest(steps, budget, cost);
    assertEquals(chosen.description(), fastest.description());
    assertEquals(chosen.predictedSeconds(cost), fastest.predictedSeconds(cost));
  }

  @Test
  void prefersDoubleCheckpointingOnALatencyBoundSlowTier() {
    CostModel cost = TestCosts.slowDisk();
    AutoPlanner.Choice choice = AutoPlanner.choose(1_000_000, MemoryBudget.parse("64m"), cost);
    double ratio = choice.schedule().predictedSeconds(cost) / cost.storeAllSeconds(1_000_000);
    assertTrue(ratio < 1.5, choice.explanation());
    for (AutoPlanner.Candidate candidate : choice.considered()) {
      assertTrue(choice.schedule().predictedSeconds(cost) <= candidate.predictedSeconds());
    }
  }

  @Test
  void namesTheMinimumWhenNothingFits() {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> AutoPlanner.choose(1000, new MemoryBudget(1000), COST));
    assertTrue(error.getMessage().contains("needs " + COST.bytes(0, 1) + " bytes"));
  }
}
