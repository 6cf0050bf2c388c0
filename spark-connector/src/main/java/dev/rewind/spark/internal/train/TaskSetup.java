package dev.rewind.spark.internal.train;

import dev.rewind.trainer.model.ModelConfig;
import java.io.Serializable;

/**
 * What every task of a run needs besides the parameters, shipped with the task closure. The model
 * travels as its JSON form.
 *
 * @param run names the run in off-chip keys ([A-Za-z0-9_.-])
 * @param taskBatch the most whole sequences of equal length a task computes in one batched run (0:
 *     as many as the memory budget allows; 1 computes each sequence alone)
 * @param truncation 0 for full BPTT, K > 0 for truncated BPTT over K-step windows
 */
public record TaskSetup(
    String modelJson,
    TaskSchedule schedule,
    OffChip offChip,
    String run,
    int taskBatch,
    int truncation)
    implements Serializable {

  public TaskSetup {
    if (taskBatch < 0) {
      throw new IllegalArgumentException(
          "taskBatchSize: expected >= 0 (0 = auto), got " + taskBatch);
    }
  }

  public static TaskSetup of(
      ModelConfig config,
      TaskSchedule schedule,
      OffChip offChip,
      String run,
      int taskBatch,
      int truncation) {
    return new TaskSetup(config.toJson(), schedule, offChip, run, taskBatch, truncation);
  }

  public ModelConfig model() {
    return ModelConfig.fromJson(modelJson);
  }
}
