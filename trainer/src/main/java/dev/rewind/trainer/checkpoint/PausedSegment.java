package dev.rewind.trainer.checkpoint;

import dev.rewind.trainer.bptt.NetworkState;
import dev.rewind.trainer.bptt.StateAdjoint;
import dev.rewind.trainer.bptt.StepLossSums;
import dev.rewind.trainer.internal.lif.CheckpointExecutor;
import dev.rewind.trainer.schedule.CostModel;
import java.io.IOException;

/**
 * A time segment whose forward sweep has run ({@link SequenceTrainer#pause}) and whose backward
 * waits for the adjoint of its end state, holding the checkpoints its schedule saved (in memory and
 * on the trainer's slow store) and its tape's last stretch. {@link #finish} runs the backward from
 * them, with the result {@link SequenceTrainer#gradient(dev.rewind.trainer.model.Parameters,
 * dev.rewind.trainer.data.FrameSource, SegmentBoundary)} gives bit for bit; {@link #close} frees
 * them when it will not run. Not thread-safe.
 */
public final class PausedSegment implements AutoCloseable {
  private final CheckpointExecutor executor;
  private final SegmentBoundary boundary;
  private final int steps;
  private final NetworkState finalState;
  private final long plannedBytes;
  private final CostModel model;
  private final CopiedCheckpoints copies;
  private boolean done;

  PausedSegment(
      CheckpointExecutor executor,
      SegmentBoundary boundary,
      int steps,
      NetworkState finalState,
      long plannedBytes,
      CostModel model,
      CopiedCheckpoints copies) {
    this.executor = executor;
    this.boundary = boundary;
    this.steps = steps;
    this.finalState = finalState;
    this.plannedBytes = plannedBytes;
    this.model = model;
    this.copies = copies;
  }

  /**
   * The copies of the checkpoints its forward sweep left on the slow tier, when it was paused with
   * a store for them (else null); their steps are empty when the schedule saved nothing there.
   */
  public CopiedCheckpoints copies() {
    return copies;
  }

  /** The state at the segment's end, in the sequence's time: what the next segment starts from. */
  public NetworkState finalState() {
    return finalState;
  }

  /** The most bytes its schedule holds in memory (tape and slots), as planned. */
  public long plannedBytes() {
    return plannedBytes;
  }

  /**
   * The segment's backward from the adjoint of its end state (null for the last segment: the loss
   * seeds it), added to {@code gradientSoFar} (the gradient of the segments after it; null: none),
   * for a sequence head.
   *
   * @throws IllegalStateException if it was finished or closed before
   */
  public SegmentResult finish(StateAdjoint finalAdjoint, float[] gradientSoFar) throws IOException {
    return finish(finalAdjoint, gradientSoFar, null);
  }

  /**
   * As {@link #finish(StateAdjoint, float[])}, under a per-step head from {@code stepLoss}: the
   * whole batch's scored targets and the loss the segments after it summed ({@link
   * dev.rewind.trainer.bptt.StepLossSums#start} for the last), as {@link SegmentBoundary#stepLoss}
   * says; throws IllegalArgumentException without them for a segment that is not the whole
   * sequence.
   */
  public SegmentResult finish(
      StateAdjoint finalAdjoint, float[] gradientSoFar, StepLossSums stepLoss) throws IOException {
    if (done) {
      throw new IllegalStateException(
          "segment at step " + boundary.firstStep() + ": finished or closed already");
    }
    boundary.withBackward(finalAdjoint, gradientSoFar).checkLength(steps, false);
    // Refused sums leave it paused: finished right later, or closed.
    SegmentResult result = executor.finishSegment(finalAdjoint, gradientSoFar, stepLoss, model);
    done = true;
    return result;
  }

  /** Frees what it holds, unless finished; its slow-tier checkpoints are deleted. */
  @Override
  public void close() throws IOException {
    if (!done) {
      done = true;
      executor.cancelSegment();
    }
  }
}
