package dev.rewind.trainer.petra;

import dev.rewind.trainer.training.StepMetrics;
import dev.rewind.trainer.training.TrainingListener;

/**
 * Reports stage-parallel training in the vocabulary of the other engines: each micro-batch the head
 * finishes becomes a {@link StepMetrics} for {@link TrainingListener#onStep}. The head calls it
 * from its own thread only, so the listener sees one caller. Fields PETRA does not measure per
 * micro-batch (gradient norm, off-chip traffic, peaks, times) are NaN or 0; {@link StageReport} has
 * them per stage.
 */
public final class PetraSteps implements PetraListener {
  private final TrainingListener listener;
  private final int epoch;
  private final long firstIndex;

  /**
   * @param epoch the epoch being trained, from 0
   * @param firstIndex the index of the epoch's first micro-batch (step 0)
   */
  public PetraSteps(TrainingListener listener, int epoch, long firstIndex) {
    this.listener = listener;
    this.epoch = epoch;
    this.firstIndex = firstIndex;
  }

  @Override
  public void onMicroBatch(long id, LeakyReadout.HeadResult result) {
    listener.onStep(
        new StepMetrics(
            epoch,
            (int) (id - firstIndex),
            id + 1,
            result.batch(),
            result.loss(),
            result.accuracy(),
            Double.NaN,
            0,
            0,
            0,
            0,
            Double.NaN,
            Double.NaN));
  }
}
