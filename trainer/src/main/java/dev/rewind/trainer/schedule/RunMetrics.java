package dev.rewind.trainer.schedule;

/**
 * What one run of a schedule cost, measured by {@code CheckpointExecutor}.
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
  public RunMetrics withInputs(long written, long read, long blockedNanos) {
    return toBuilder()
        .inputBytesWritten(inputBytesWritten + written)
        .inputBytesRead(inputBytesRead + read)
        .blockedIoNanos(blockedIoNanos + blockedNanos)
        .build();
  }

  /**
   * The metrics of this run and then {@code next} as one run over the steps of both, under {@code
   * schedule}: counts, bytes and times added, peaks the larger of the two (the runs did not
   * overlap); the prediction is NaN.
   */
  public RunMetrics then(RunMetrics next, String schedule) {
    Builder b = new Builder(schedule, steps + next.steps);
    b.advancedSteps = advancedSteps + next.advancedSteps;
    b.tapedSteps = tapedSteps + next.tapedSteps;
    b.memorySaves = memorySaves + next.memorySaves;
    b.memoryLoads = memoryLoads + next.memoryLoads;
    b.slowSaves = slowSaves + next.slowSaves;
    b.slowLoads = slowLoads + next.slowLoads;
    b.memoryBytesWritten = memoryBytesWritten + next.memoryBytesWritten;
    b.memoryBytesRead = memoryBytesRead + next.memoryBytesRead;
    b.slowBytesWritten = slowBytesWritten + next.slowBytesWritten;
    b.slowBytesRead = slowBytesRead + next.slowBytesRead;
    b.inputBytesWritten = inputBytesWritten + next.inputBytesWritten;
    b.inputBytesRead = inputBytesRead + next.inputBytesRead;
    b.blockedIoNanos = blockedIoNanos + next.blockedIoNanos;
    b.peakTapeSteps = Math.max(peakTapeSteps, next.peakTapeSteps);
    b.peakTapeBytes = Math.max(peakTapeBytes, next.peakTapeBytes);
    b.peakMemorySlots = Math.max(peakMemorySlots, next.peakMemorySlots);
    b.peakCheckpointBytes = Math.max(peakCheckpointBytes, next.peakCheckpointBytes);
    b.peakSlowStates = Math.max(peakSlowStates, next.peakSlowStates);
    b.measuredSeconds = measuredSeconds + next.measuredSeconds;
    return b.build();
  }

  /** A builder for the metrics of {@code schedule} over {@code steps}; every count starts at 0. */
  public static Builder builder(String schedule, long steps) {
    return new Builder(schedule, steps);
  }

  private Builder toBuilder() {
    Builder b = new Builder(schedule, steps);
    b.advancedSteps = advancedSteps;
    b.tapedSteps = tapedSteps;
    b.memorySaves = memorySaves;
    b.memoryLoads = memoryLoads;
    b.slowSaves = slowSaves;
    b.slowLoads = slowLoads;
    b.memoryBytesWritten = memoryBytesWritten;
    b.memoryBytesRead = memoryBytesRead;
    b.slowBytesWritten = slowBytesWritten;
    b.slowBytesRead = slowBytesRead;
    b.inputBytesWritten = inputBytesWritten;
    b.inputBytesRead = inputBytesRead;
    b.blockedIoNanos = blockedIoNanos;
    b.peakTapeSteps = peakTapeSteps;
    b.peakTapeBytes = peakTapeBytes;
    b.peakMemorySlots = peakMemorySlots;
    b.peakCheckpointBytes = peakCheckpointBytes;
    b.peakSlowStates = peakSlowStates;
    b.predictedSeconds = predictedSeconds;
    b.measuredSeconds = measuredSeconds;
    return b;
  }

  /** Builds {@link RunMetrics} field by field, by name. */
  public static final class Builder {
    private final String schedule;
    private final long steps;
    private long advancedSteps;
    private long tapedSteps;
    private long memorySaves;
    private long memoryLoads;
    private long slowSaves;
    private long slowLoads;
    private long memoryBytesWritten;
    private long memoryBytesRead;
    private long slowBytesWritten;
    private long slowBytesRead;
    private long inputBytesWritten;
    private long inputBytesRead;
    private long blockedIoNanos;
    private long peakTapeSteps;
    private long peakTapeBytes;
    private long peakMemorySlots;
    private long peakCheckpointBytes;
    private long peakSlowStates;
    private double predictedSeconds = Double.NaN;
    private double measuredSeconds;

    private Builder(String schedule, long steps) {
      this.schedule = schedule;
      this.steps = steps;
    }

    public Builder advancedSteps(long value) {
      this.advancedSteps = value;
      return this;
    }

    public Builder tapedSteps(long value) {
      this.tapedSteps = value;
      return this;
    }

    public Builder memorySaves(long value) {
      this.memorySaves = value;
      return this;
    }

    public Builder memoryLoads(long value) {
      this.memoryLoads = value;
      return this;
    }

    public Builder slowSaves(long value) {
      this.slowSaves = value;
      return this;
    }

    public Builder slowLoads(long value) {
      this.slowLoads = value;
      return this;
    }

    public Builder memoryBytesWritten(long value) {
      this.memoryBytesWritten = value;
      return this;
    }

    public Builder memoryBytesRead(long value) {
      this.memoryBytesRead = value;
      return this;
    }

    public Builder slowBytesWritten(long value) {
      this.slowBytesWritten = value;
      return this;
    }

    public Builder slowBytesRead(long value) {
      this.slowBytesRead = value;
      return this;
    }

    public Builder inputBytesWritten(long value) {
      this.inputBytesWritten = value;
      return this;
    }

    public Builder inputBytesRead(long value) {
      this.inputBytesRead = value;
      return this;
    }

    public Builder blockedIoNanos(long value) {
      this.blockedIoNanos = value;
      return this;
    }

    public Builder peakTapeSteps(long value) {
      this.peakTapeSteps = value;
      return this;
    }

    public Builder peakTapeBytes(long value) {
      this.peakTapeBytes = value;
      return this;
    }

    public Builder peakMemorySlots(long value) {
      this.peakMemorySlots = value;
      return this;
    }

    public Builder peakCheckpointBytes(long value) {
      this.peakCheckpointBytes = value;
      return this;
    }

    public Builder peakSlowStates(long value) {
      this.peakSlowStates = value;
      return this;
    }

    public Builder predictedSeconds(double value) {
      this.predictedSeconds = value;
      return this;
    }

    public Builder measuredSeconds(double value) {
      this.measuredSeconds = value;
      return this;
    }

    public RunMetrics build() {
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
          inputBytesWritten,
          inputBytesRead,
          blockedIoNanos,
          peakTapeSteps,
          peakTapeBytes,
          peakMemorySlots,
          peakCheckpointBytes,
          peakSlowStates,
          predictedSeconds,
          measuredSeconds);
    }
  }
}
