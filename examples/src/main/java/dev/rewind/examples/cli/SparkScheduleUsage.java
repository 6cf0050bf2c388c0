package dev.rewind.examples.cli;

import dev.rewind.trainer.training.StepMetrics;
import java.util.List;

/**
 * What the schedule used in a Spark run cost, from the driver's per-step metrics: each step's
 * figures are already summed over the tasks that computed its sequences, and its peak of tapes and
 * checkpoints is the maximum over them. Executors' heaps are not measured, so there is no heap row.
 *
 * @param schedule the schedule the tasks ran, as planned on the driver for the same spec, budget
 *     and cost model
 * @param sequencesPerRun sequences a task computes in one batched run (what a prediction is for)
 * @param steps every distributed training step of the run
 */
record SparkScheduleUsage(String schedule, int sequencesPerRun, List<StepMetrics> steps)
    implements MeasuredSchedule {
  SparkScheduleUsage {
    steps = List.copyOf(steps);
  }

  @Override
  public String predictedPer() {
    return sequencesPerRun == 1 ? "sequence" : "task run of " + sequencesPerRun + " sequences";
  }

  @Override
  public String scope() {
    return "Spark: predicted figures are per "
        + predictedPer()
        + " (what one task computes in one batched run); measured byte, recomputation and I/O"
        + " figures are summed over the executors' tasks, peak on-chip bytes are the most one"
        + " task's run held"
        + " (per_sequence: divided by the sequences trained); a step's seconds are the driver's"
        + " wall time of one distributed step (a batch of sequences over the executors, update"
        + " included).";
  }

  @Override
  public List<List<Object>> figures() {
    long sequences = steps.stream().mapToLong(StepMetrics::sequences).sum();
    long bytes = steps.stream().mapToLong(StepMetrics::offChipBytesWritten).sum();
    double blockedSeconds = steps.stream().mapToDouble(StepMetrics::ioBlockedMillis).sum() / 1e3;
    double stepSeconds =
        steps.stream().mapToDouble(StepMetrics::stepMillis).average().orElse(0) / 1e3;
    double recomputed = recomputedFraction(sequences);
    return List.of(
        List.of("training_steps", (long) steps.size()),
        List.of("sequences", sequences),
        List.of("measured_seconds_per_step", stepSeconds),
        List.of("recomputed_steps_per_sequence_step", recomputed),
        List.of("recomputed_share_of_forward_steps", MeasuredSchedule.shareOfForward(recomputed)),
        List.of("offchip_bytes_written", bytes),
        List.of("offchip_bytes_written_per_sequence", perSequence(bytes, sequences)),
        List.of("blocked_io_seconds", blockedSeconds),
        List.of("blocked_io_seconds_per_sequence", perSequence(blockedSeconds, sequences)),
        List.of(
            "peak_schedule_bytes",
            steps.stream().mapToLong(StepMetrics::peakOnChipBytes).max().orElse(0)));
  }

  /**
   * Recomputed forward steps per step of the first sweep, as the single-JVM report counts them. A
   * step reports recomputed / all forward steps, r, so its recomputed / first-sweep steps is r / (1
   * - r); steps are weighted by their sequences, which is exact when sequences are equally long.
   */
  private double recomputedFraction(long sequences) {
    if (sequences == 0) {
      return 0;
    }
    double sum = 0;
    for (StepMetrics m : steps) {
      sum += m.recomputationRatio() / (1 - m.recomputationRatio()) * m.sequences();
    }
    return sum / sequences;
  }

  private static double perSequence(double total, long sequences) {
    return sequences == 0 ? 0 : total / sequences;
  }
}
