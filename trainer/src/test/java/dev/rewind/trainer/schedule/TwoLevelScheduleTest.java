package dev.rewind.trainer.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TwoLevelScheduleTest {

  private static final double TOLERANCE = 1e-9;

  @Provide
  Arbitrary<CostModel> costs() {
    return Arbitraries.of(TestCosts.unit(), TestCosts.plausible(), TestCosts.slowDisk());
  }

  @Property(tries = 150)
  void isValidAndMatchesItsPrediction(
      @ForAll @LongRange(min = 1, max = 4000) long steps,
      @ForAll @IntRange(min = 0, max = 12) int slots,
      @ForAll @IntRange(min = 1, max = 40) int tape,
      @ForAll @IntRange(min = 8, max = 120) int maxPeriod,
      @ForAll("costs") CostModel cost) {
    TwoLevelSchedule schedule = new TwoLevelSchedule(steps, slots, tape, cost, maxPeriod);
    SimulationReport report = SegmentedSchedulesTest.checked(schedule);
    assertTrue(report.peakMemorySlots() <= slots);
    assertTrue(report.peakTapeSteps() <= tape);
    TestCosts.assertClose(
        ScheduleSimulator.simulate(schedule, cost).predictedSeconds(),
        schedule.predictedSeconds(cost),
        schedule.description());
  }

  @Property(tries = 150)
  void neverSlowerThanRemoteOrDouble(
      @ForAll @LongRange(min = 1, max = 100_000) long steps,
      @ForAll @IntRange(min = 1, max = 60) int coarse,
      @ForAll @IntRange(min = 1, max = 60) int fine,
      @ForAll("costs") CostModel cost) {
    int k = Math.min(fine, coarse);
    PeriodicSchedule remote = PeriodicSchedule.remote(steps, coarse);
    TwoLevelSchedule sameAsRemote = new TwoLevelSchedule(steps, 0, coarse, cost, 64);
    assertAtMost(remote.predictedSeconds(cost), sameAsRemote.predictedSeconds(cost));

    DoubleCheckpointSchedule dbl = new DoubleCheckpointSchedule(steps, coarse, k);
    long slots = dbl.footprint().memorySlots();
    TwoLevelSchedule sameAsDouble = new TwoLevelSchedule(steps, slots, k, cost, 64);
    assertAtMost(dbl.predictedSeconds(cost), sameAsDouble.predictedSeconds(cost));
  }

  @Property(tries = 60)
  void equalsRevolveWhenTheSlowTierIsUseless(
      @ForAll @LongRange(min = 1, max = 300) long steps,
      @ForAll @IntRange(min = 1, max = 10) int slots) {
    CostModel noDisk = new CostModel(1, 2, 3, 100, 10, TierCost.FREE, new TierCost(1e6, 1e6));
    RevolveSchedule revolve = new RevolveSchedule(steps, slots);
    TwoLevelSchedule twoLevel = new TwoLevelSchedule(steps, slots, 1, noDisk, 300);
    TestCosts.assertClose(
        revolve.predictedSeconds(noDisk), twoLevel.predictedSeconds(noDisk), "vs revolve");
    SimulationReport report = ScheduleSimulator.simulate(twoLevel, noDisk);
    assertEquals(0, report.slowSaves());
    assertEquals(Binomial.minimalUntapedSteps(steps, slots), report.recomputedSteps());
  }

  @Property(tries = 60)
  void exactPlanIsNeverSlowerThanPeriodicPlan(
      @ForAll @LongRange(min = 2, max = 250) long steps,
      @ForAll @IntRange(min = 0, max = 6) int slots,
      @ForAll @IntRange(min = 1, max = 8) int tape,
      @ForAll("costs") CostModel cost) {
    TwoLevelSchedule exact = new TwoLevelSchedule(steps, slots, tape, cost, (int) steps);
    TwoLevelSchedule periodic = new TwoLevelSchedule(steps, slots, tape, cost, (int) steps - 1);
    assertEquals(0, exact.period());
    assertTrue(periodic.period() > 0);
    assertAtMost(periodic.predictedSeconds(cost), exact.predictedSeconds(cost));
  }

  @Test
  void usesTheDiskWhenRecomputingCostsMore() {
    CostModel cost = TestCosts.unit();
    TwoLevelSchedule schedule = new TwoLevelSchedule(100_000, 4, 1, cost, 256);
    SimulationReport report = ScheduleSimulator.simulate(schedule, cost);
    assertTrue(report.slowSaves() > 0);
    assertTrue(
        report.predictedSeconds() < new RevolveSchedule(100_000, 5).predictedSeconds(cost),
        "disk checkpoints beat one more memory slot here");
  }

  private static void assertAtMost(double bound, double actual) {
    assertTrue(
        actual <= bound + TOLERANCE * Math.max(1, bound),
        "expected at most " + bound + ", got " + actual);
  }
}
