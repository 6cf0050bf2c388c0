package dev.rewind.trainer.training;

import java.util.List;

/**
 * Hears about a training run, on the thread that runs it: the JVM {@link TrainingLoop}, the Spark
 * Estimator's fit and PETRA use this one vocabulary. Every method defaults to doing nothing; an
 * exception thrown here stops the run.
 */
public interface TrainingListener {
  TrainingListener NONE = new TrainingListener() {};

  /** A step's update has been applied. */
  default void onStep(StepMetrics metrics) {}

  /** An epoch has ended and the held-out data (if any) has been scored. */
  default void onEpoch(EpochResult result) {}

  /** The run has finished all its epochs. */
  default void onFinish() {}

  /** A listener that adds every step's metrics to {@code steps}. */
  static TrainingListener addingStepsTo(List<StepMetrics> steps) {
    return new TrainingListener() {
      @Override
      public void onStep(StepMetrics metrics) {
        steps.add(metrics);
      }
    };
  }

  /** One listener that passes each event to every one of {@code listeners}, in order. */
  static TrainingListener all(List<TrainingListener> listeners) {
    List<TrainingListener> copy = List.copyOf(listeners);
    return new TrainingListener() {
      @Override
      public void onStep(StepMetrics metrics) {
        copy.forEach(l -> l.onStep(metrics));
      }

      @Override
      public void onEpoch(EpochResult result) {
        copy.forEach(l -> l.onEpoch(result));
      }

      @Override
      public void onFinish() {
        copy.forEach(TrainingListener::onFinish);
      }
    };
  }
}
