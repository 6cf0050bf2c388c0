package dev.rewind.trainer.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class SegmentedSchedulesTest {

  private static final CostModel COST = TestCosts.unit();

  @Test
  void storeAllTapesEverythingOnce() {
    SimulationReport report = ScheduleSimulator.simulate(new StoreAllSchedule(1000), COST);
    assertEquals(1000, report.advancedSteps());
    assertEquals(1000, report.tapedSteps());
    assertEquals(0, report.peakMemorySlots());
    assertEquals(1000, report.peakTapeSteps());
    assertEquals(5000.0, report.predictedSeconds());
    assertEquals(COST.bytes(0, 1000), report.peakBytes());
  }

  @Property(tries = 300)
  void periodicIsValidAndMatchesItsPrediction(
      @ForAll @LongRange(min = 1, max = 5000) long steps,
      @ForAll @LongRange(min = 1, max = 600) long k) {
    PeriodicSchedule schedule = PeriodicSchedule.periodic(steps, k);
    SimulationReport report = checked(schedule);
    long checkpoints = (steps + k - 1) / k - 1;
    assertEquals(checkpoints, report.memorySaves());
    assertEquals(checkpoints, report.memoryLoads());
    assertEquals(checkpoints * k, report.recomputedSteps());
    assertEquals(0, report.slowSaves());
    assertEquals(Math.min(k, steps), report.peakTapeSteps());
  }

  @Property(tries = 300)
  void remoteIsValidAndUsesNoMemorySlot(
      @ForAll @LongRange(min = 1, max = 5000) long steps,
      @ForAll @LongRange(min = 1, max = 600) long k) {
    SimulationReport report = checked(PeriodicSchedule.remote(steps, k));
    long checkpoints = (steps + k - 1) / k - 1;
    assertEquals(0, report.peakMemorySlots());
    assertEquals(checkpoints, report.slowSaves());
    assertEquals(checkpoints, report.slowLoads());
    assertEquals(checkpoints, report.peakSlowStates());
  }

  @Property(tries = 400)
  void doubleIsValidAndBoundedByItsFootprint(
      @ForAll @LongRange(min = 1, max = 8000) long steps,
      @ForAll @LongRange(min = 1, max = 900) long coarse,
      @ForAll @LongRange(min = 1, max = 900) long fine) {
    if (fine > coarse) {
      assertThrows(
          IllegalArgumentException.class, () -> new DoubleCheckpointSchedule(steps, coarse, fine));
      return;
    }
    DoubleCheckpointSchedule schedule = new DoubleCheckpointSchedule(steps, coarse, fine);
    SimulationReport report = checked(schedule);
    assertTrue(report.peakMemorySlots() <= (coarse + fine - 1) / fine - 1);
    assertTrue(report.peakTapeSteps() <= fine);
    assertEquals((steps + coarse - 1) / coarse - 1, report.slowSaves());
  }

  @Test
  void doubleWithWholeTapeIsRemote() {
    SimulationReport dbl = checked(new DoubleCheckpointSchedule(1234, 100, 100));
    SimulationReport remote = checked(PeriodicSchedule.remote(1234, 100));
    assertEquals(remote, dbl);
  }

  @Test
  void rejectsBadParameters() {
    assertThrows(IllegalArgumentException.class, () -> new StoreAllSchedule(0));
    assertThrows(IllegalArgumentException.class, () -> PeriodicSchedule.periodic(10, 0));
    assertThrows(IllegalArgumentException.class, () -> new DoubleCheckpointSchedule(10, 0, 0));
  }

  /** Simulates, and checks footprint, prediction and the tape invariant shared by all. */
  static SimulationReport checked(Schedule schedule) {
    SimulationReport unitReport = null;
    for (CostModel cost : new CostModel[] {COST, TestCosts.plausible(), TestCosts.slowDisk()}) {
      SimulationReport report = ScheduleSimulator.simulate(schedule, cost);
      Footprint declared = schedule.footprint();
      assertTrue(
          report.peakMemorySlots() <= declared.memorySlots(),
          schedule.description() + " slots " + report.peakMemorySlots() + " > " + declared);
      assertTrue(
          report.peakTapeSteps() <= declared.tapeSteps(),
          schedule.description() + " tape " + report.peakTapeSteps() + " > " + declared);
      assertTrue(report.peakBytes() <= declared.bytes(cost));
      TestCosts.assertClose(
          report.predictedSeconds(), schedule.predictedSeconds(cost), schedule.description());
      assertEquals(schedule.steps(), report.tapedSteps(), "every step taped exactly once");
      if (cost == COST) {
        unitReport = report;
      }
    }
    return unitReport;
  }
}
