package dev.rewind.trainer.checkpoint;

import dev.rewind.trainer.bptt.LossResult;
import dev.rewind.trainer.bptt.StateAdjoint;
import dev.rewind.trainer.bptt.StepLossSums;
import dev.rewind.trainer.schedule.RunMetrics;

/**
 * What the backward of one time segment returns.
 *
 * @param loss the loss of the sequences, for the last segment (which evaluates it); null otherwise.
 *     Under the per-step head, every segment's: the loss over this segment and those after it,
 *     which at the first segment is the whole sequence's
 * @param gradient the gradient so far plus this segment's, in the flat parameter layout: for the
 *     first segment, the whole sequence's gradient
 * @param initialAdjoint the adjoint of the state at the segment's first step, which the segment
 *     before it is handed as its final adjoint
 * @param metrics what the segment's schedule cost
 * @param stepLoss under the per-step head, the sums to hand the segment before this one; null
 *     otherwise
 */
public record SegmentResult(
    LossResult loss,
    float[] gradient,
    StateAdjoint initialAdjoint,
    RunMetrics metrics,
    StepLossSums stepLoss) {}
