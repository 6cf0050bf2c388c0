package dev.rewind.spark.train;

import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.ScheduleSpec;
import java.io.Serializable;

/**
 * How a task runs BPTT over one sequence: the checkpoint schedule ({@code auto} or a spec such as
 * {@code double:K=1000,k=32}, see {@link ScheduleSpec}) and the memory budget per task for tapes
 * and checkpoints ({@code 256m}, see {@link MemoryBudget}). Both are parsed at construction, on the
 * driver, so a bad value fails before any job.
 */
public record ScheduleOptions(String schedule, String memoryBudget) implements Serializable {
  public ScheduleOptions {
    ScheduleSpec.parse(schedule);
    MemoryBudget.parse(memoryBudget);
  }

  public ScheduleSpec spec() {
    return ScheduleSpec.parse(schedule);
  }

  public MemoryBudget budget() {
    return MemoryBudget.parse(memoryBudget);
  }
}
