package dev.rewind.spark.train;

import dev.rewind.trainer.model.ModelConfig;
import java.io.Serializable;

/**
 * What every task of a run needs besides the parameters, shipped with the task closure. The model
 * travels as its JSON form.
 *
 * @param run names the run in off-chip keys ([A-Za-z0-9_.-])
 */
public record TaskSetup(
    String modelJson, ScheduleOptions schedule, String offChipLocation, String run)
    implements Serializable {

  public static TaskSetup of(
      ModelConfig config, ScheduleOptions schedule, String offChipLocation, String run) {
    return new TaskSetup(config.toJson(), schedule, offChipLocation, run);
  }

  public ModelConfig model() {
    return ModelConfig.fromJson(modelJson);
  }
}
