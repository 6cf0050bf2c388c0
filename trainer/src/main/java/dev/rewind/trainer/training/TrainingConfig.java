package dev.rewind.trainer.training;

import dev.rewind.trainer.optim.GradientClipping;
import dev.rewind.trainer.optim.LearningRateSchedule;
import dev.rewind.trainer.optim.OptimizerConfig;
import java.util.Objects;
import java.util.Optional;

/**
 * How to train: epochs over the training batches, the optimizer with its learning-rate schedule,
 * and optional gradient-norm clipping.
 */
public record TrainingConfig(
    int epochs,
    OptimizerConfig optimizer,
    LearningRateSchedule schedule,
    Optional<GradientClipping> clipping) {
  public TrainingConfig {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs: expected >= 1, got " + epochs);
    }
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(clipping, "clipping");
  }
}
