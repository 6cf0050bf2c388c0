package dev.rewind.examples.spark;

import dev.rewind.spark.metrics.StepMetrics;
import dev.rewind.spark.metrics.TrainingListener;
import dev.rewind.spark.ml.SpikingSequenceClassificationModel;
import dev.rewind.spark.ml.SpikingSequenceClassifier;
import dev.rewind.trainer.training.EpochResult;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.param.ParamMap;

/**
 * Fits a {@link SpikingSequenceClassifier} one epoch at a time, so that the test set is scored
 * after every epoch: fit {@code e} asks for {@code e} epochs and resumes from the training state
 * fit {@code e - 1} saved at its last step (the connector's resume gives the same parameters as one
 * uninterrupted fit).
 */
public final class EpochwiseFit {
  /** Hears about steps and epochs on the driver. */
  public interface Listener {
    /** A new epoch starts with {@code steps} steps. */
    void onEpochStart(int epoch, int epochs, int steps);

    void onStep(StepMetrics step);

    void onEpoch(EpochResult result);
  }

  /** The final model, one result per epoch and every step's metrics. */
  public record Result(
      SpikingSequenceClassificationModel model,
      List<EpochResult> epochs,
      List<StepMetrics> steps) {}

  private final SpikingSequenceClassifier classifier;
  private final String stateDir;

  /**
   * @param classifier every Param but epochs and the checkpoint settings
   * @param stateDir a new folder or Hadoop URI for the training state between epochs
   */
  public EpochwiseFit(SpikingSequenceClassifier classifier, String stateDir) {
    this.classifier = classifier;
    this.stateDir = stateDir;
  }

  /**
   * Trains {@code epochs} epochs on {@code train} ({@code sequences} sequences) and scores {@code
   * test} after each.
   */
  public Result run(
      InputTable train, long sequences, InputTable test, int epochs, Listener listener) {
    int batch = (Integer) classifier.getOrDefault(classifier.batchSize());
    int steps = (int) ((sequences + batch - 1) / batch);
    List<EpochResult> results = new ArrayList<>();
    List<StepMetrics> all = new ArrayList<>();
    SpikingSequenceClassificationModel model = null;
    for (int e = 1; e <= epochs; e++) {
      listener.onEpochStart(e, epochs, steps);
      List<StepMetrics> history = new ArrayList<>();
      SpikingSequenceClassifier fit =
          classifier
              .copy(
                  new ParamMap()
                      .put(classifier.epochs(), e)
                      .put(classifier.checkpointPath(), stateDir)
                      .put(classifier.checkpointInterval(), steps))
              .setListener(
                  new TrainingListener() {
                    @Override
                    public void onStep(StepMetrics m) {
                      history.add(m);
                      listener.onStep(m);
                    }
                  });
      long start = System.nanoTime();
      model = fit.fit(train.rows());
      double seconds = (System.nanoTime() - start) / 1e9;
      for (StepMetrics m : history) {
        if (m.epoch() != e - 1) {
          throw new IllegalStateException(
              "epoch "
                  + e
                  + ": expected the fit to resume after epoch "
                  + (e - 1)
                  + " from "
                  + stateDir
                  + ", got a step of epoch "
                  + (m.epoch() + 1));
        }
      }
      all.addAll(history);
      Evaluation scored = Evaluation.of(model, test);
      EpochResult r =
          new EpochResult(
              e,
              weightedMean(history, true),
              weightedMean(history, false),
              scored.loss(),
              scored.accuracy(),
              Double.NaN,
              seconds);
      results.add(r);
      listener.onEpoch(r);
    }
    return new Result(model, results, all);
  }

  private static double weightedMean(List<StepMetrics> steps, boolean loss) {
    double sum = 0;
    long n = 0;
    for (StepMetrics m : steps) {
      sum += (loss ? m.loss() : m.accuracy()) * m.sequences();
      n += m.sequences();
    }
    return n == 0 ? Double.NaN : sum / n;
  }
}
