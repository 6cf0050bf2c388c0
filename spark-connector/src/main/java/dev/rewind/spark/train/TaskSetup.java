package dev.rewind.spark.train;

import dev.rewind.trainer.model.ModelConfig;
import java.io.Serializable;

/**
 * What every task of a run needs besides the parameters, shipped with the task closure. The model
 * travels as its JSON form.
 *
 * @param run names the run in off-chip keys ([A-Za-z0-9_.-])
 * @param taskBatch the most whole sequences of equal length a task computes in one batched run (>=
 *     1; 1 computes each sequence alone)
 */
public record TaskSetup(
    String modelJson, ScheduleOptions schedule, String offChipLocation, String run, int taskBatch)
    implements Serializable {

  public TaskSetup {
    if (taskBatch < 1) {
      throw new IllegalArgumentException("taskBatchSize: expected >= 1, got " + taskBatch);
    }
  }

  public static TaskSetup of(
      ModelConfig config,
      ScheduleOptions schedule,
      String offChipLocation,
      String run,
      int taskBatch) {
    return new TaskSetup(config.toJson(), schedule, offChipLocation, run, taskBatch);
  }

  public ModelConfig model() {
    return ModelConfig.fromJson(modelJson);
  }
}
