package dev.rewind.trainer.training;

/** Callbacks of a {@link TrainingLoop}; every method defaults to doing nothing. */
public interface TrainingListener {
  TrainingListener NONE = new TrainingListener() {};

  /** Called after each optimizer step; {@code step} counts from 1 within the epoch. */
  default void onStep(int epoch, int step, int stepsPerEpoch, double loss, double accuracy) {}

  /** Called after each epoch's evaluation. */
  default void onEpoch(EpochResult result) {}
}
