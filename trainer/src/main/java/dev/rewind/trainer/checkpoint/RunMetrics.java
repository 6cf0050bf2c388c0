package dev.rewind.trainer.checkpoint;

/**
 * What one run of a schedule cost, measured by {@link CheckpointExecutor}.
 *
 * @param schedule the schedule's description
 * @param steps T
 * @param advancedSteps forward steps run, taped or not, including the first sweep
 * @param tapedSteps forward steps run with tape
 * @param memorySaves states copied into memory slots
 * @param memoryLoads states copied back from memory slots
 * @param slowSaves states written to the slow tier
 * @param slowLoads states read back from the slow tier
 * @param memoryBytesWritten bytes copied into memory slots
 * @param memoryBytesRead bytes copied out of memory slots
 * @param slowBytesWritten encoded bytes the slow store wrote during the run
 * @param slowBytesRead encoded bytes the slow store read during the run
 * @param inputBytesWritten encoded bytes of spooled input frames written (0 when not spooled)
 * @param inputBytesRead encoded bytes of spooled input frames read back
 * @param blockedIoNanos time the training thread waited for slow-tier I/O (checkpoints and inputs)
 * @param peakTapeSteps most taped steps held at once
 * @param peakTapeBytes most bytes of tape held at once
 * @param peakMemorySlots most memory slots live at once
 * @param peakCheckpointBytes most heap bytes of saved states (memory slots and states read ahead)
 * @param peakSlowStates most states saved in the slow tier at once
 * @param predictedSeconds the schedule's time under the cost model given, NaN when none was
 * @param measuredSeconds wall time of the run
 */
public record RunMetrics(
    String schedule,
    long steps,
    long advancedSteps,
    long tapedSteps,
    long memorySaves,
    long memoryLoads,
    long slowSaves,
    long slowLoads,
    long memoryBytesWritten,
    long memoryBytesRead,
    long slowBytesWritten,
    long slowBytesRead,
    long inputBytesWritten,
    long inputBytesRead,
    long blockedIoNanos,
    long peakTapeSteps,
    long peakTapeBytes,
    long peakMemorySlots,
    long peakCheckpointBytes,
    long peakSlowStates,
    double predictedSeconds,
    double measuredSeconds) {

  /** Forward steps run beyond the first sweep. */
  public long recomputedSteps() {
    return advancedSteps - steps;
  }

  /** Peak bytes of tape and checkpoints, each at its own peak (an upper bound of their sum). */
  public long peakBytes() {
    return peakTapeBytes + peakCheckpointBytes;
  }

  /** The same metrics with the spooled-input traffic and its blocked time added. */
  RunMetrics withInputs(long written, long read, long blockedNanos) {
    return new RunMetrics(
        schedule,
        steps,
        advancedSteps,
        tapedSteps,
        memorySaves,
        memoryLoads,
        slowSaves,
        slowLoads,
        memoryBytesWritten,
        memoryBytesRead,
        slowBytesWritten,
        slowBytesRead,
        inputBytesWritten + written,
        inputBytesRead + read,
        blockedIoNanos + blockedNanos,
        peakTapeSteps,
        peakTapeBytes,
        peakMemorySlots,
        peakCheckpointBytes,
        peakSlowStates,
        predictedSeconds,
        measuredSeconds);
  }
}
