package dev.rewind.trainer.training;

import dev.rewind.trainer.schedule.RunMetrics;

/**
 * What computing one gradient cost beyond its time: off-chip traffic, recomputation, time blocked
 * on I/O and peak on-chip memory. {@link #NONE} for store-all BPTT, which measures none of it.
 */
record StepCost(
    long offChipBytesWritten,
    long forwardSteps,
    long recomputedSteps,
    long ioBlockedNanos,
    long peakOnChipBytes) {
  public static final StepCost NONE = new StepCost(0, 0, 0, 0, 0);

  /** The cost a checkpoint schedule's run measured. */
  public static StepCost of(RunMetrics m) {
    return new StepCost(
        m.slowBytesWritten() + m.inputBytesWritten(),
        m.advancedSteps(),
        m.recomputedSteps(),
        m.blockedIoNanos(),
        m.peakBytes());
  }

  /** Recomputed forward steps / forward steps, 0 when none ran. */
  public double recomputationRatio() {
    return forwardSteps == 0 ? 0 : (double) recomputedSteps / forwardSteps;
  }
}
