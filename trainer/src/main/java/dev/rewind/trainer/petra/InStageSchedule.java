package dev.rewind.trainer.petra;

import dev.rewind.storage.BlobStore;
import dev.rewind.trainer.schedule.CostModel;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.ScheduleSpec;
import java.util.Objects;
import java.util.Optional;

/**
 * How PETRA's reversible stages run the backward of F and G over time: under a checkpoint schedule
 * of the {@code schedule} package, planned for the sequence length, each F and G backward within
 * {@code budget} (saved states and tape, the planners' accounting), with {@link
 * dev.rewind.trainer.schedule.Placement#SLOW} checkpoints in {@code offchip}. Gradients are
 * bit-identical to whole tapes whatever the schedule.
 *
 * @param schedule which schedule, e.g. {@code ScheduleSpec.parse("revolve:slots=8")}
 * @param budget memory of one map's backward; {@code auto} picks the fastest schedule within it
 * @param offchip the slow tier (local disk, Hadoop, heap); shared by the stages, not closed by them
 * @param cost the planners' cost model, or empty to measure it on the first backward of each stage
 */
public record InStageSchedule(
    ScheduleSpec schedule, MemoryBudget budget, BlobStore offchip, Optional<CostModel> cost) {

  public InStageSchedule {
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(offchip, "offchip");
    Objects.requireNonNull(cost, "cost");
  }

  /** A schedule whose cost model is measured on the running machine. */
  public InStageSchedule(ScheduleSpec schedule, MemoryBudget budget, BlobStore offchip) {
    this(schedule, budget, offchip, Optional.empty());
  }
}
