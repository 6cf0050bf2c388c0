package dev.rewind.spark.metrics;

/**
 * Hears about a distributed fit, on the driver thread that runs it. Every method has a no-op
 * default; an exception thrown here stops the fit (after the last saved training state).
 */
public interface TrainingListener {
  /** A listener that ignores everything. */
  TrainingListener NONE = new TrainingListener() {};

  /** A step's update has been applied. */
  default void onStep(StepMetrics metrics) {}

  /** The fit has finished all its epochs. */
  default void onFinish() {}
}
