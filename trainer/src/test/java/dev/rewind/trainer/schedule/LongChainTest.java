package dev.rewind.trainer.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Streams T = 10^7: the generator's pending fragments stay bounded by the nesting depth. */
class LongChainTest {

  private static final long T = 10_000_000;
  private static final CostModel COST = TestCosts.plausible();

  @Test
  void periodicStreams() {
    checkStreams(PeriodicSchedule.periodic(T, 4096), 16);
  }

  @Test
  void remoteStreams() {
    checkStreams(PeriodicSchedule.remote(T, 4096), 16);
  }

  @Test
  void doubleStreams() {
    checkStreams(new DoubleCheckpointSchedule(T, 10_000, 100), 16);
  }

  @Test
  void twoLevelStreams() {
    // a few fragments per memory slot (nesting level of the memory plan)
    checkStreams(TwoLevelSchedule.optimal(T, 16, 64, TestCosts.slowDisk()), 8 * (16 + 2));
  }

  private static void checkStreams(Schedule schedule, int maxPending) {
    long count = 0;
    int mostPending = 0;
    ScheduleSimulator simulator = new ScheduleSimulator(T, COST);
    LazyActions it = (LazyActions) schedule.actions();
    while (it.hasNext()) {
      mostPending = Math.max(mostPending, it.pending());
      simulator.accept(it.next());
      count++;
    }
    SimulationReport report = simulator.finish();
    assertEquals(count, report.actions());
    assertTrue(count > 10_000, schedule.description() + " streamed only " + count);
    assertTrue(report.peakMemorySlots() <= schedule.footprint().memorySlots());
    assertTrue(report.peakTapeSteps() <= schedule.footprint().tapeSteps());
    TestCosts.assertClose(
        report.predictedSeconds(), schedule.predictedSeconds(COST), schedule.description());
    assertTrue(
        mostPending <= maxPending,
        schedule.description() + " held " + mostPending + " pending fragments");
  }
}
