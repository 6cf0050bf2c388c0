package dev.rewind.spark.internal.train;

import dev.rewind.trainer.bptt.NetworkState;
import dev.rewind.trainer.bptt.StateAdjoint;
import dev.rewind.trainer.bptt.StepLossSums;
import dev.rewind.trainer.checkpoint.CopiedCheckpoints;
import java.io.Serializable;

/**
 * What the driver hands the task of one segment of one micro-batch in a wave, and what the task
 * returns: the boundary states and adjoints the driver keeps between the waves.
 */
final class SegmentWork {
  private SegmentWork() {}

  /**
   * @param initial the state at the segment's first step, null for the first segment
   * @param finalAdjoint the adjoint of its end state, null for the last segment or a forward wave
   * @param gradientSoFar the micro-batch's gradient of the segments after it (backward), or null
   * @param stepLoss under a per-step head, in a backward wave: the micro-batch's labelled steps and
   *     the loss the segments after it summed; null otherwise
   * @param sharing how many paused segments an executor may keep at once in a forward wave: each
   *     plans within that share of the memory budget
   * @param copies in a backward wave, the copies of the checkpoints the segment's forward left on a
   *     Hadoop URI, read back when its executor lost them; null when there are none
   */
  record Input(
      int segment,
      int microBatch,
      NetworkState initial,
      StateAdjoint finalAdjoint,
      float[] gradientSoFar,
      StepLossSums stepLoss,
      int sharing,
      CopiedCheckpoints copies)
      implements Serializable {}

  /**
   * @param finalState the forward wave's result: the state at the segment's end
   * @param forwardSteps steps the task advanced; a forward wave's task that kept nothing reports
   *     them recomputed too, since the backward runs them again
   * @param peakOnChipBytes the most tape and checkpoint bytes the task held: measured by a
   *     backward, planned for what a forward kept (its executor's kept segments of the run)
   * @param initialAdjoint the backward wave's result: the adjoint of the state at its start
   * @param gradient the backward wave's result: the gradient so far plus this segment's (the
   *     micro-batch's mean gradient, for the first segment)
   * @param lossSum the last segment's summed loss over the micro-batch (0 otherwise); under a
   *     per-step head, every segment's over itself and the segments after it
   * @param scored what {@code lossSum} is over (sequences, or labelled steps); under a per-step
   *     head, a forward wave's counts the segment's own labelled steps
   * @param copies a forward wave's: the copies of the checkpoints its segment left on a Hadoop URI,
   *     handed to the segment's backward; null when none were made
   * @param stepLoss under a per-step head, a backward wave's sums to hand the segment before it
   * @param executor where the task ran, as a Spark task location
   */
  record Output(
      int segment,
      int microBatch,
      NetworkState finalState,
      StateAdjoint initialAdjoint,
      float[] gradient,
      double lossSum,
      int correct,
      int scored,
      StepLossSums stepLoss,
      long forwardSteps,
      long recomputedSteps,
      long blockedIoNanos,
      long peakOnChipBytes,
      long bytesWritten,
      String executor,
      CopiedCheckpoints copies)
      implements Serializable {

    /**
     * A forward wave's result, from the executor running it: the end state (null for the last
     * segment, which hands nothing on), the labelled steps it holds (per-step head; else 0), the
     * steps advanced and recomputed, the bytes kept, and the copies of its slow-tier checkpoints
     * (null: none).
     */
    static Output forward(
        int segment,
        int microBatch,
        NetworkState finalState,
        int scored,
        long forwardSteps,
        long recomputedSteps,
        long peakOnChipBytes,
        CopiedCheckpoints copies) {
      return new Output(
          segment,
          microBatch,
          finalState,
          null,
          null,
          0,
          0,
          scored,
          null,
          forwardSteps,
          recomputedSteps,
          0,
          peakOnChipBytes,
          0,
          PinnedPartitions.here(),
          copies);
    }
  }
}
