package dev.rewind.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.rewind.trainer.schedule.CostModel;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.Schedule;
import dev.rewind.trainer.schedule.ScheduleSpec;
import dev.rewind.trainer.schedule.TierCost;
import org.junit.jupiter.api.Test;

/** One plan per (spec, budget, length, cost model) in a JVM, as Spark tasks need. */
class PlanCacheTest {
  private static CostModel cost(double forward) {
    return new CostModel(
        forward, 2 * forward, 3 * forward, 4096, 1024, TierCost.FREE, new TierCost(1e-3, 1e-3));
  }

  @Test
  void equalRequestsShareOnePlanAndOthersDoNot() {
    ScheduleSpec auto = ScheduleSpec.parse("auto");
    MemoryBudget budget = new MemoryBudget(200_000);
    Schedule first = PlanCache.plan(auto, budget, 5000, cost(1e-4));
    assertSame(
        first,
        PlanCache.plan(ScheduleSpec.parse("auto"), new MemoryBudget(200_000), 5000, cost(1e-4)));
    assertEquals(5000, first.steps());
    assertNotSame(first, PlanCache.plan(auto, budget, 5001, cost(1e-4)));
    assertNotSame(first, PlanCache.plan(auto, new MemoryBudget(300_000), 5000, cost(1e-4)));
    assertNotSame(first, PlanCache.plan(auto, budget, 5000, cost(2e-4)));
  }

  @Test
  void oldEntriesAreDroppedBeyondTheCapacity() {
    ScheduleSpec periodic = ScheduleSpec.parse("periodic:k=10");
    Schedule first = PlanCache.plan(periodic, MemoryBudget.UNLIMITED, 77, cost(1e-4));
    for (int i = 0; i < PlanCache.CAPACITY; i++) {
      PlanCache.plan(periodic, MemoryBudget.UNLIMITED, 1000 + i, cost(1e-4));
    }
    assertNotSame(first, PlanCache.plan(periodic, MemoryBudget.UNLIMITED, 77, cost(1e-4)));
  }
}
