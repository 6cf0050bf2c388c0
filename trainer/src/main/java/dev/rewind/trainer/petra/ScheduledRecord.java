package dev.rewind.trainer.petra;

import dev.rewind.trainer.internal.runner.ScheduleRunner;
import dev.rewind.trainer.schedule.RunMetrics;
import java.io.IOException;

/**
 * The forward pass of a {@link SpikingSequenceMap} under a checkpoint schedule, paused after the
 * schedule's forward sweep: holds the output y and whatever the schedule kept (checkpoints in
 * memory or off-chip, tape) until {@link SpikingSequenceMap#backward} runs the backward sweep,
 * once. Afterwards {@link #metrics()} tells what the whole pass held and recomputed.
 */
final class ScheduledRecord implements ForwardRecord {
  private final MapSteps system;
  private final ScheduleRunner.Pass pass;
  private RunMetrics metrics;

  ScheduledRecord(MapSteps system, ScheduleRunner.Pass pass) {
    this.system = system;
    this.pass = pass;
  }

  /** The map's output y. */
  public SequenceTensor output() {
    return system.output();
  }

  /** What the pass cost; null before the backward. */
  public RunMetrics metrics() {
    return metrics;
  }

  /** Heap bytes the pass held at most: its peak tape plus its peak of saved states in memory. */
  public long memoryBytes() {
    requireFinished();
    return metrics.peakTapeBytes() + metrics.peakCheckpointBytes();
  }

  /** Bytes of the states the pass kept off-chip at its peak (decoded size). */
  public long offchipBytes() {
    requireFinished();
    return metrics.peakSlowStates() * system.stateBytes();
  }

  SequenceTensor finish(
      SpikingSequenceMap map,
      float[] p,
      int off,
      SequenceTensor x,
      SequenceTensor dy,
      float[] grads,
      int gradOffset)
      throws IOException {
    if (!system.runs(map, p, off, x)) {
      throw new IllegalArgumentException(
          "record: expected the map, parameters and input of its forward pass");
    }
    if (metrics != null) {
      throw new IllegalStateException("record: its backward has run already");
    }
    system.beginBackward(dy, grads, gradOffset);
    metrics = pass.finish(null);
    return system.inputGradient();
  }

  private void requireFinished() {
    if (metrics == null) {
      throw new IllegalStateException("record: its backward has not run yet");
    }
  }
}
