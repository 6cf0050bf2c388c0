package dev.rewind.trainer.training;

import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.LossResult;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;

/**
 * How a training loop gets the loss and exact gradient of one batch: store-all BPTT, or a
 * checkpoint schedule that gives the same numbers with less memory.
 */
public interface GradientFunction {
  /** Loss, predictions and the gradient of the mean loss over the batch. */
  BpttResult gradient(Parameters parameters, FrameSource batch);

  /** Loss and predictions only (forward pass, nothing kept for a backward pass). */
  LossResult evaluate(Parameters parameters, FrameSource batch);

  /** What the last {@link #gradient} call cost; {@link StepCost#NONE} when not measured. */
  default StepCost lastCost() {
    return StepCost.NONE;
  }

  /** Plain BPTT keeping the whole forward pass in memory, for batches of {@code batch} rows. */
  static GradientFunction storeAll(ModelConfig config, int batch) {
    return storeAll(config, batch, 0);
  }

  /**
   * Plain BPTT keeping the whole forward pass in memory, for batches of {@code batch} rows;
   * truncated over {@code truncation}-step windows when that is > 0.
   */
  static GradientFunction storeAll(ModelConfig config, int batch, int truncation) {
    StoreAllBptt bptt = new StoreAllBptt(config, batch, truncation);
    return new GradientFunction() {
      @Override
      public BpttResult gradient(Parameters parameters, FrameSource frames) {
        return bptt.run(parameters, frames);
      }

      @Override
      public LossResult evaluate(Parameters parameters, FrameSource frames) {
        return bptt.evaluate(parameters, frames);
      }
    };
  }
}
