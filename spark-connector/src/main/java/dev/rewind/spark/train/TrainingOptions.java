package dev.rewind.spark.train;

import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.optim.OptimizerConfig;

/**
 * Everything a distributed fit needs, validated at construction.
 *
 * @param tasks number of task slots (partitions) per step, >= 1
 * @param clipNorm global gradient-norm clipping threshold, or 0 for none
 * @param checkpointPath Hadoop directory for training state, or empty for none
 * @param checkpointInterval save training state every this many steps (>= 1)
 * @param taskBatchSize the most whole sequences of equal length a task computes in one batched run
 *     (>= 1); 1 computes each alone. Not part of the {@link #fingerprint()}: it changes float
 *     rounding only, not the sequence of updates.
 */
public record TrainingOptions(
    ModelConfig model,
    ScheduleOptions schedule,
    String offChipLocation,
    int epochs,
    int batchSize,
    OptimizerConfig optimizer,
    double clipNorm,
    long seed,
    int tasks,
    String checkpointPath,
    int checkpointInterval,
    int taskBatchSize) {

  public TrainingOptions {
    positive("epochs", epochs);
    positive("batchSize", batchSize);
    positive("tasks", tasks);
    positive("checkpointInterval", checkpointInterval);
    positive("taskBatchSize", taskBatchSize);
    if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException(
          "gradientClipNorm: expected finite and >= 0 (0 = off), got " + clipNorm);
    }
    OffChipStores.validate(offChipLocation);
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": expected > 0, got " + value);
    }
  }

  /**
   * What a saved training state must agree with to be resumed: the settings that change the
   * sequence of updates.
   */
  public String fingerprint() {
    return model.toJson()
        + "|optimizer="
        + optimizer
        + "|clip="
        + clipNorm
        + "|seed="
        + seed
        + "|batch="
        + batchSize
        + "|tasks="
        + tasks;
  }
}
