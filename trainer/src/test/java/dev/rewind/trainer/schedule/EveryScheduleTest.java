package dev.rewind.trainer.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Every kind of schedule, planned through its spec, on chains up to 10^5 steps. */
class EveryScheduleTest {

  private static final CostModel COST = TestCosts.plausible();

  @Property(tries = 30)
  void everyKindIsValidWithinItsFootprint(
      @ForAll @LongRange(min = 1, max = 100_000) long steps,
      @ForAll @IntRange(min = 2, max = 3000) int k,
      @ForAll @IntRange(min = 1, max = 40) int ratio,
      @ForAll @IntRange(min = 4, max = 64) int slots) {
    String[] specs = {
      "store-all",
      "periodic:k=" + k,
      "remote:k=" + k,
      "double:K=" + (k * ratio) + ",k=" + k,
      "revolve:slots=" + slots,
      "two-level:slots=" + slots + ",tape=" + Math.min(k, 128) + ",max-period=256",
    };
    for (String spec : specs) {
      Schedule schedule = ScheduleSpec.parse(spec).plan(steps, COST, MemoryBudget.UNLIMITED);
      SimulationReport report = ScheduleSimulator.simulate(schedule, COST);
      assertEquals(steps, report.tapedSteps(), spec);
      assertTrue(report.peakMemorySlots() <= schedule.footprint().memorySlots(), spec);
      assertTrue(report.peakTapeSteps() <= schedule.footprint().tapeSteps(), spec);
      assertTrue(report.peakBytes() <= schedule.footprint().bytes(COST), spec);
      assertTrue(report.predictedSeconds() >= COST.storeAllSeconds(steps) * (1 - 1e-12), spec);
      TestCosts.assertClose(report.predictedSeconds(), schedule.predictedSeconds(COST), spec);
    }
  }

  @Test
  void refusesAPlanningTableTooLargeToFill() {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TwoLevelSchedule(1_000_000, 5000, 1, COST, 8192));
    assertTrue(error.getMessage().contains("lower max-period or slots"), error.getMessage());
  }
}
