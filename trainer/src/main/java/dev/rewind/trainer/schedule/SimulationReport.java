package dev.rewind.trainer.schedule;

/**
 * What a schedule did, counted symbolically by {@link ScheduleSimulator}.
 *
 * @param steps T
 * @param actions number of actions
 * @param advancedSteps steps run by all advances, taped or not
 * @param tapedSteps steps run with tape
 * @param memorySaves saves to {@link Placement#MEMORY}
 * @param memoryLoads loads from {@link Placement#MEMORY}
 * @param slowSaves saves to {@link Placement#SLOW}
 * @param slowLoads loads from {@link Placement#SLOW}
 * @param peakMemorySlots most live memory slots at once
 * @param peakTapeSteps most taped steps held at once
 * @param peakSlowStates most states held in the slow tier at once
 * @param peakBytes most memory bytes at once: current state, live slots and tape
 * @param predictedSeconds sum of the cost model's time over all actions
 */
public record SimulationReport(
    long steps,
    long actions,
    long advancedSteps,
    long tapedSteps,
    long memorySaves,
    long memoryLoads,
    long slowSaves,
    long slowLoads,
    long peakMemorySlots,
    long peakTapeSteps,
    long peakSlowStates,
    long peakBytes,
    double predictedSeconds) {

  /** Steps run beyond the first forward sweep: {@code advancedSteps - T}. */
  public long recomputedSteps() {
    return advancedSteps - steps;
  }

  /** Steps run without tape. */
  public long untapedSteps() {
    return advancedSteps - tapedSteps;
  }

  /** Peak live slots and tape steps as a footprint (the two maxima, taken separately). */
  public Footprint peakFootprint() {
    return new Footprint(peakMemorySlots, peakTapeSteps);
  }
}
