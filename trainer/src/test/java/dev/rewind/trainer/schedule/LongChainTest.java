package dev.rewind.trainer.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import org.junit.jupiter.api.Test;

/** Streams T = 10^7 without holding the plan: the simulator keeps only live states and tape. */
class LongChainTest {

  private static final long T = 10_000_000;
  private static final CostModel COST = TestCosts.plausible();

  @Test
  void periodicStreams() {
    checkStreams(PeriodicSchedule.remote(T, 4096));
  }

  @Test
  void doubleStreams() {
    checkStreams(new DoubleCheckpointSchedule(T, 10_000, 100));
  }

  @Test
  void twoLevelStreams() {
    checkStreams(TwoLevelSchedule.optimal(T, 16, 64, TestCosts.slowDisk()));
  }

  private static void checkStreams(Schedule schedule) {
    long before = usedHeap();
    long count = 0;
    long maxSeen = 0;
    ScheduleSimulator simulator = new ScheduleSimulator(T, COST);
    Iterator<Action> it = schedule.actions();
    while (it.hasNext()) {
      simulator.accept(it.next());
      count++;
      if ((count & 0xFFFFF) == 0) {
        maxSeen = Math.max(maxSeen, usedHeap() - before);
      }
    }
    SimulationReport report = simulator.finish();
    assertEquals(count, report.actions());
    assertTrue(report.peakMemorySlots() <= schedule.footprint().memorySlots());
    assertTrue(report.peakTapeSteps() <= schedule.footprint().tapeSteps());
    TestCosts.assertClose(
        report.predictedSeconds(), schedule.predictedSeconds(COST), schedule.description());
    // millions of actions went by; a materialised plan would need hundreds of MiB
    assertTrue(count > 1_000, schedule.description());
    assertTrue(maxSeen < 256L << 20, schedule.description() + " grew the heap by " + maxSeen);
  }

  private static long usedHeap() {
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
