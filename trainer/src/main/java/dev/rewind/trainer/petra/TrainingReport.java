package dev.rewind.trainer.petra;

import java.util.List;

/**
 * The outcome of a stage-trainer run.
 *
 * @param microBatches micro-batches trained on
 * @param seconds wall-clock seconds of the run
 * @param meanLoss mean head loss over all micro-batches
 * @param meanAccuracy mean head accuracy over all micro-batches
 * @param stages one report per stage, in order
 */
public record TrainingReport(
    int microBatches,
    double seconds,
    double meanLoss,
    double meanAccuracy,
    List<StageReport> stages) {

  public TrainingReport {
    stages = List.copyOf(stages);
  }

  /** Micro-batches per second. */
  public double throughput() {
    return microBatches / seconds;
  }
}
