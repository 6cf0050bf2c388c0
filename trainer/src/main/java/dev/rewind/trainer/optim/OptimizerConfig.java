package dev.rewind.trainer.optim;

/** A validated optimizer configuration that creates the matching {@link Optimizer}. */
public sealed interface OptimizerConfig permits SgdConfig, AdamConfig {

  /** Returns the base learning rate, before the schedule's factor. */
  double learningRate();

  /**
   * Creates a fresh optimizer (zero state, step 0) for a parameter vector of {@code size} entries.
   *
   * @throws IllegalArgumentException if {@code size} is negative
   */
  Optimizer create(int size, LearningRateSchedule schedule);
}
