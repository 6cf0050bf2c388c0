package dev.rewind.trainer.checkpoint;

import dev.rewind.trainer.bptt.NetworkState;
import dev.rewind.trainer.bptt.StateAdjoint;
import dev.rewind.trainer.bptt.StepLossSums;

/**
 * Where a time segment {@code [firstStep, firstStep + length)} of a batch of sequences of {@code
 * totalSteps} steps sits, and what it is handed: the unit of work of segment-parallel exact BPTT. A
 * whole sequence is the segment {@link #whole(int) whole(T)}: zero initial state, seeded by the
 * loss, no gradient yet.
 *
 * @param firstStep the segment's first step in the sequence
 * @param totalSteps T, the sequence's length: the loss averages the readout over all of it
 * @param initialState the state at {@code firstStep} (what the segment before ended with), or null
 *     for the first segment (the zero state)
 * @param finalAdjoint the adjoint of the state at the segment's end (what the backward of the
 *     segment after it returned), or null for the last segment, whose backward is seeded by the
 *     loss
 * @param gradientSoFar the gradient the segments after it summed, in the flat parameter layout, or
 *     null for none: the segment adds its own to it in the order one pass over the whole sequence
 *     would, so a chain of segments gives the whole sequence's gradient bit for bit
 * @param stepLoss under the per-step loss head, for a segment that is not the whole sequence: the
 *     whole batch's labelled steps and the loss summed by the segments after it ({@link
 *     StepLossSums#start} for the last); null otherwise
 */
public record SegmentBoundary(
    int firstStep,
    int totalSteps,
    NetworkState initialState,
    StateAdjoint finalAdjoint,
    float[] gradientSoFar,
    StepLossSums stepLoss) {

  public SegmentBoundary {
    if (firstStep < 0 || totalSteps < 1 || firstStep >= totalSteps) {
      throw new IllegalArgumentException(
          "segment: expected 0 <= firstStep < totalSteps, got firstStep="
              + firstStep
              + ", totalSteps="
              + totalSteps);
    }
    if ((firstStep == 0) != (initialState == null)) {
      throw new IllegalArgumentException(
          "segment at step "
              + firstStep
              + ": expected an initial state exactly when the segment is not the first");
    }
    if (initialState != null && initialState.step() != firstStep) {
      throw new IllegalArgumentException(
          "segment at step "
              + firstStep
              + ": expected the initial state at step "
              + firstStep
              + ", got step "
              + initialState.step());
    }
  }

  /** A boundary of a sequence head, or of a whole sequence: no per-step sums. */
  public SegmentBoundary(
      int firstStep,
      int totalSteps,
      NetworkState initialState,
      StateAdjoint finalAdjoint,
      float[] gradientSoFar) {
    this(firstStep, totalSteps, initialState, finalAdjoint, gradientSoFar, null);
  }

  /** This boundary with the per-step head's sums {@code sums}. */
  public SegmentBoundary withStepLoss(StepLossSums sums) {
    return new SegmentBoundary(
        firstStep, totalSteps, initialState, finalAdjoint, gradientSoFar, sums);
  }

  /** The whole sequence of {@code steps} steps as one segment. */
  public static SegmentBoundary whole(int steps) {
    return new SegmentBoundary(0, steps, null, null, null);
  }

  /**
   * Whether a segment of {@code length} steps ends the sequence: its backward starts from the loss.
   */
  public boolean endsSequence(int length) {
    return firstStep + length == totalSteps;
  }

  /** Whether a segment of {@code length} steps is the whole sequence. */
  public boolean isWhole(int length) {
    return firstStep == 0 && length == totalSteps;
  }

  /** This boundary with what the backward of a segment paused after its forward needs. */
  public SegmentBoundary withBackward(StateAdjoint finalAdjoint, float[] gradientSoFar) {
    return new SegmentBoundary(
        firstStep, totalSteps, initialState, finalAdjoint, gradientSoFar, stepLoss);
  }

  /**
   * Throws unless a segment of {@code length} steps fits this boundary: one that is not the last
   * needs a final adjoint, unless {@code adjointLater} (a segment paused after its forward, {@link
   * SequenceTrainer#pause}), which must have neither final adjoint nor gradient yet.
   */
  void checkLength(int length, boolean adjointLater) {
    int end = firstStep + length;
    if (length < 1 || end > totalSteps) {
      throw new IllegalArgumentException(
          "segment at step "
              + firstStep
              + ": expected 1 to "
              + (totalSteps - firstStep)
              + " steps, got "
              + length);
    }
    boolean last = end == totalSteps;
    String segment = "segment [" + firstStep + ", " + end + ") of " + totalSteps + " steps: ";
    if (adjointLater && (finalAdjoint != null || gradientSoFar != null)) {
      throw new IllegalArgumentException(
          segment
              + "run forward first, a segment's final adjoint and gradient come when its"
              + " backward runs");
    }
    if (!adjointLater && last == (finalAdjoint != null)) {
      throw new IllegalArgumentException(
          segment + "expected a final adjoint exactly when the segment is not the last");
    }
    if (finalAdjoint != null && finalAdjoint.step() != end) {
      throw new IllegalArgumentException(
          segment
              + "expected the final adjoint at step "
              + end
              + ", got step "
              + finalAdjoint.step());
    }
  }
}
