package dev.rewind.spark.internal.train;

import dev.rewind.trainer.model.ModelSetup;
import dev.rewind.trainer.training.TrainingConfig;

/**
 * Everything a distributed fit needs, validated at construction.
 *
 * @param model the network, its init and seed
 * @param training epochs, batch, optimizer, learning-rate policy, clipping, truncation
 * @param tasks number of task slots (partitions) per step, >= 1
 * @param checkpointPath Hadoop directory for training state, or empty for none
 * @param checkpointInterval save training state every this many steps (>= 1)
 * @param taskBatchSize the most whole sequences of equal length a task computes in one batched run;
 *     0 lets the memory budget decide, 1 computes each alone. Not part of the {@link
 *     #fingerprint()}: it changes float rounding only, not the sequence of updates.
 * @param parallelism data parallelism, or segments: each sequence cut in time across the partitions
 *     (part of the fingerprint: it sets the micro-batches, so the float rounding of every step)
 * @param stepsPerJob under data parallelism, the most optimizer steps one Spark job runs: 1 for a
 *     job per step, 0 for every step of an epoch in one job. Not part of the fingerprint: the
 *     updates are the same bit for bit.
 */
public record TrainingOptions(
    ModelSetup model,
    TrainingConfig training,
    TaskSchedule schedule,
    OffChip offChip,
    int tasks,
    String checkpointPath,
    int checkpointInterval,
    int taskBatchSize,
    Parallelism parallelism,
    int stepsPerJob) {

  public TrainingOptions {
    if (model == null
        || training == null
        || schedule == null
        || offChip == null
        || parallelism == null) {
      throw new IllegalArgumentException(
          "training options: expected a model, training config, schedule and off-chip tier, got "
              + model
              + ", "
              + training
              + ", "
              + schedule
              + ", "
              + offChip);
    }
    positive("tasks", tasks);
    positive("checkpointInterval", checkpointInterval);
    if (taskBatchSize < 0) {
      throw new IllegalArgumentException(
          "taskBatchSize: expected >= 0 (0 = auto), got " + taskBatchSize);
    }
    if (stepsPerJob < 0) {
      throw new IllegalArgumentException(
          "stepsPerJob: expected >= 0 (0 = every step of an epoch), got " + stepsPerJob);
    }
  }

  /** These options with {@code auto} resolved to {@code chosen}. */
  TrainingOptions withParallelism(Parallelism chosen) {
    return new TrainingOptions(
        model,
        training,
        schedule,
        offChip,
        tasks,
        checkpointPath,
        checkpointInterval,
        taskBatchSize,
        chosen,
        stepsPerJob);
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": expected > 0, got " + value);
    }
  }

  /**
   * What a saved training state must agree with to be resumed: the settings that change the
   * sequence of updates (all but the number of epochs, which a resumed fit may extend).
   */
  public String fingerprint() {
    TrainingConfig t = training;
    return model.toJson()
        + "|optimizer="
        + t.optimizer()
        + "|rate="
        + t.learningRatePolicy()
        + "|clip="
        + t.clipNorm()
        + "|truncation="
        + t.truncation()
        + "|batch="
        + t.batchSize()
        + "|tasks="
        + tasks
        + (parallelism.bySegments() ? "|parallelism=" + parallelism : "");
  }
}
