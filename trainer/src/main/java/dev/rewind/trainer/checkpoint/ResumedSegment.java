package dev.rewind.trainer.checkpoint;

import dev.rewind.storage.BlobKey;
import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.SpikeFrame;
import dev.rewind.storage.tier.BlobBundle;
import dev.rewind.trainer.bptt.LossResult;
import dev.rewind.trainer.bptt.NetworkState;
import dev.rewind.trainer.bptt.StateAdjoint;
import dev.rewind.trainer.bptt.StepLoss;
import dev.rewind.trainer.bptt.StepLossSums;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.data.FrameWindow;
import dev.rewind.trainer.internal.lif.CheckpointExecutor;
import dev.rewind.trainer.internal.runner.CheckpointReadException;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.schedule.RunMetrics;
import java.io.IOException;
import java.util.Arrays;

/**
 * A segment's backward run from the copies of its checkpoints ({@link CopiedCheckpoints}): the
 * segment is cut at the copies' steps into pieces, and the pieces run as a chain of segments from
 * the last to the first, each from its copied state, handed the adjoint, gradient and per-step sums
 * of the piece after it. A chain of segments gives the whole segment's bits (the rule segment
 * parallelism rests on), so this gives what {@link PausedSegment#finish} would have.
 */
final class ResumedSegment {
  private final SequenceTrainer trainer;
  private final CheckpointExecutor executor;
  private final BlobBundle bundle;
  private final CopiedCheckpoints copies;

  ResumedSegment(
      SequenceTrainer trainer,
      CheckpointExecutor executor,
      BlobBundle bundle,
      CopiedCheckpoints copies) {
    if (bundle == null || copies == null) {
      throw new IllegalArgumentException("resumed segment: expected a bundle and its copies");
    }
    this.trainer = trainer;
    this.executor = executor;
    this.bundle = bundle;
    this.copies = copies;
  }

  SegmentResult gradient(Parameters parameters, FrameSource frames, SegmentBoundary boundary)
      throws IOException {
    boundary.checkLength(frames.steps(), false);
    int from = boundary.firstStep();
    int[] cuts = cuts(from, from + frames.steps());
    boolean perStep = parameters.config().loss().perStep();
    StateAdjoint adjoint = boundary.finalAdjoint();
    float[] gradient = boundary.gradientSoFar();
    StepLossSums sums = boundary.stepLoss();
    if (sums == null && perStep) {
      // A whole sequence has no sums handed in; its pieces hand them on.
      sums = StepLossSums.start(new StepLoss(parameters.config()).count(frames));
    }
    String schedule = "from " + (cuts.length - 2) + " copied checkpoints";
    LossResult loss = null;
    RunMetrics metrics = null;
    for (int i = cuts.length - 2; i >= 0; i--) {
      int start = cuts[i];
      NetworkState initial = i == 0 ? boundary.initialState() : read(start);
      SegmentResult piece =
          trainer.gradient(
              parameters,
              new FrameWindow(frames, start - from, cuts[i + 1] - start),
              new SegmentBoundary(start, boundary.totalSteps(), initial, adjoint, gradient, sums));
      adjoint = piece.initialAdjoint();
      gradient = piece.gradient();
      sums = piece.stepLoss();
      // A sequence head's loss comes with the last piece (null unless it ends the sequence), a
      // per-step head's (summed over the pieces) with the first.
      if (perStep || i == cuts.length - 2) {
        loss = piece.loss();
      }
      metrics = metrics == null ? piece.metrics() : piece.metrics().then(metrics, schedule);
    }
    return new SegmentResult(loss, gradient, adjoint, metrics, sums);
  }

  /** The segment's first step, the copies' steps inside it, and its end. */
  private int[] cuts(int from, int to) {
    long[] steps = copies.steps();
    int[] cuts = new int[steps.length + 2];
    int n = 0;
    cuts[n++] = from;
    for (long step : steps) {
      if (step < from || step > to) {
        throw new IllegalArgumentException(
            "copied checkpoints "
                + copies.name()
                + ": expected steps in ["
                + from
                + ", "
                + to
                + "] (the segment's), got "
                + Arrays.toString(steps));
      }
      // A copy of the first or the end state adds no piece.
      if (step > from && step < to) {
        cuts[n++] = (int) step;
      }
    }
    cuts[n++] = to;
    return Arrays.copyOf(cuts, n);
  }

  private NetworkState read(int step) throws IOException {
    BlobKey[] keys = copies.keys(step);
    String what =
        "copy of the checkpoint of state "
            + step
            + " (keys "
            + keys[0].relativePath()
            + ", "
            + keys[1].relativePath()
            + ")";
    try {
      FloatBlock dense = bundle.getFloats(keys[0]);
      SpikeFrame spikes = bundle.getSpikes(keys[1]);
      return executor.decodeState(what, dense, spikes, step);
    } catch (IOException | IllegalArgumentException e) {
      throw new CheckpointReadException(what, e);
    }
  }
}
