package dev.rewind.examples.cli;

import dev.rewind.trainer.model.LossSpec;
import picocli.CommandLine.Option;

/**
 * {@code --step-labels} and {@code --step-targets} of the commands that write a built-in task's
 * data: what a per-step head reads at every step, besides the sequence's label.
 */
final class StepSupervisionOptions {
  @Option(
      names = "--step-labels",
      description =
          "[long-memory] the label at every recall step, -1 elsewhere, for --loss per-step: data"
              + " writes labels.npy as [T][B], convert a labels array<int> column.")
  boolean stepLabels;

  @Option(
      names = "--step-targets",
      description =
          "[long-memory] the label's one-hot code at every recall step, NaN elsewhere, for --loss"
              + " regression: data writes labels.npy as float [T][B][C], convert a targets"
              + " array<array<float>> column.")
  boolean stepTargets;

  /** The head the written data is for: mean unless one of the options is given. */
  LossSpec head() {
    if (stepLabels && stepTargets) {
      throw new IllegalArgumentException(
          "--step-labels, --step-targets: expected one of them (a sequence is scored one way),"
              + " got both");
    }
    return stepTargets ? LossSpec.REGRESSION : stepLabels ? LossSpec.PER_STEP : LossSpec.MEAN;
  }
}
