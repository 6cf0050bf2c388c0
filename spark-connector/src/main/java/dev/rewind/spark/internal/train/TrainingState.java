package dev.rewind.spark.internal.train;

import dev.rewind.trainer.optim.OptimizerState;
import dev.rewind.trainer.training.EpochResult;
import dev.rewind.trainer.training.StepMetrics;
import java.util.List;

/**
 * Where a fit stands after {@code globalStep} optimizer steps: the next step to run is {@code
 * stepInEpoch} of {@code epoch}. Shuffling is a function of (seed, epoch), so this plus the
 * parameters and optimizer state is all a resume needs to continue bit for bit; the metrics of the
 * steps and epochs run so far travel too, so that a resumed fit reports its whole history.
 *
 * @param fingerprint {@link TrainingOptions#fingerprint()} of the fit that saved it
 * @param history every step's metrics up to {@code globalStep}
 * @param epochs the result of every epoch completed
 */
public record TrainingState(
    String fingerprint,
    int epoch,
    int stepInEpoch,
    long globalStep,
    float[] parameters,
    OptimizerState optimizer,
    List<StepMetrics> history,
    List<EpochResult> epochs) {

  public TrainingState {
    history = List.copyOf(history);
    epochs = List.copyOf(epochs);
  }
}
