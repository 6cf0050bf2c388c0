package dev.rewind.trainer.training;

import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.LossResult;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.optim.GradientClipping;
import dev.rewind.trainer.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Mini-batch training on one JVM: for each epoch, each training batch in order gives a gradient,
 * optionally clipped, and one optimizer step; then the held-out batches are evaluated. Parameters
 * are updated in place; a step whose gradient is not finite fails before anything changes. The
 * batches are made by the caller ({@link TrainingConfig#batchSize()} says how large).
 */
public final class TrainingLoop {
  private final TrainingConfig config;
  private final GradientFunction gradients;

  public TrainingLoop(TrainingConfig config, GradientFunction gradients) {
    this.config = config;
    this.gradients = gradients;
  }

  /** Trains {@code parameters} in place and returns one result per epoch. */
  public List<EpochResult> train(
      Parameters parameters,
      List<? extends FrameSource> trainBatches,
      List<? extends FrameSource> testBatches,
      TrainingListener listener) {
    if (trainBatches.isEmpty()) {
      throw new IllegalArgumentException("training batches: expected at least one, got none");
    }
    Optimizer optimizer =
        config.optimizer().create(parameters.data().length, config.schedule(trainBatches.size()));
    float[] factors = config.rateFactors(parameters.layout());
    if (factors != null) {
      optimizer.scaleRates(factors);
    }
    List<EpochResult> results = new ArrayList<>();
    long globalStep = 0;
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      long start = System.nanoTime();
      double lossSum = 0;
      double accuracySum = 0;
      double normSum = 0;
      int step = 0;
      for (FrameSource batch : trainBatches) {
        long stepStart = System.nanoTime();
        BpttResult result = gradients.gradient(parameters, batch);
        StepCost cost = gradients.lastCost();
        long updateStart = System.nanoTime();
        float[] gradient = result.gradient();
        GradientOverflow.check(parameters.layout(), gradient, epoch, step + 1, result.loss());
        double norm =
            config.clipping().isPresent()
                ? config.clipping().get().clip(gradient)
                : GradientClipping.norm(gradient);
        normSum += norm;
        optimizer.step(parameters.data(), gradient);
        long end = System.nanoTime();
        lossSum += result.loss();
        accuracySum += result.accuracy();
        globalStep++;
        listener.onStep(
            new StepMetrics(
                epoch - 1,
                step,
                globalStep,
                batch.batchSize(),
                result.loss(),
                result.accuracy(),
                norm,
                cost.offChipBytesWritten(),
                cost.recomputationRatio(),
                cost.ioBlockedNanos() / 1e6,
                cost.peakOnChipBytes(),
                (end - stepStart) / 1e6,
                (end - updateStart) / 1e6));
        step++;
      }
      double[] test = evaluate(parameters, testBatches);
      EpochResult epochResult =
          new EpochResult(
              epoch,
              lossSum / step,
              accuracySum / step,
              test[0],
              test[1],
              normSum / step,
              (System.nanoTime() - start) / 1e9);
      results.add(epochResult);
      listener.onEpoch(epochResult);
    }
    listener.onFinish();
    return results;
  }

  /**
   * Mean loss and accuracy over {@code batches} (NaN for none), weighted by what each scored: its
   * sequences, or under the per-step head its labelled steps.
   */
  public double[] evaluate(Parameters parameters, List<? extends FrameSource> batches) {
    double loss = 0;
    double correct = 0;
    long rows = 0;
    for (FrameSource batch : batches) {
      LossResult r = gradients.evaluate(parameters, batch);
      loss += r.loss() * r.scored();
      correct += r.correct();
      rows += r.scored();
    }
    return rows == 0
        ? new double[] {Double.NaN, Double.NaN}
        : new double[] {loss / rows, correct / rows};
  }
}
