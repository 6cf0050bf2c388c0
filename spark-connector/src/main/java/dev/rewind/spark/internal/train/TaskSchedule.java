package dev.rewind.spark.internal.train;

import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.ScheduleSpec;
import java.io.Serializable;

/**
 * How a task runs BPTT over its sequences: the checkpoint schedule ({@code auto} or a spec such as
 * {@code double:K=1000,k=32}) and the memory budget per task for tapes and checkpoints. Parsed
 * once, on the driver, and shipped to the tasks as typed values.
 */
public record TaskSchedule(ScheduleSpec spec, MemoryBudget budget) implements Serializable {
  public TaskSchedule {
    if (spec == null || budget == null) {
      throw new IllegalArgumentException(
          "task schedule: expected a schedule and a memory budget, got " + spec + ", " + budget);
    }
  }

  /** Parses both, e.g. {@code of("double:K=100,k=10", "256m")}. */
  public static TaskSchedule of(String schedule, String budget) {
    return new TaskSchedule(ScheduleSpec.parse(schedule), MemoryBudget.parse(budget));
  }
}
