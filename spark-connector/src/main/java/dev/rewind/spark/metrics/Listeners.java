package dev.rewind.spark.metrics;

import java.util.List;

/** Combines listeners: each event goes to every listener in order. */
public final class Listeners {
  private Listeners() {}

  public static TrainingListener all(List<TrainingListener> listeners) {
    List<TrainingListener> copy = List.copyOf(listeners);
    return new TrainingListener() {
      @Override
      public void onStep(StepMetrics metrics) {
        copy.forEach(l -> l.onStep(metrics));
      }

      @Override
      public void onFinish() {
        copy.forEach(TrainingListener::onFinish);
      }
    };
  }
}
