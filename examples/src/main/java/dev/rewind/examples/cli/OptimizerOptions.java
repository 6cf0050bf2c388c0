package dev.rewind.examples.cli;

import dev.rewind.trainer.optim.AdamConfig;
import dev.rewind.trainer.optim.LearningRatePolicy;
import dev.rewind.trainer.optim.OptimizerConfig;
import dev.rewind.trainer.optim.SgdConfig;
import dev.rewind.trainer.training.TrainingConfig;
import picocli.CommandLine.Option;

/** Epochs, batch, optimizer, learning rate and its policy, clipping and truncation. */
final class OptimizerOptions {
  @Option(
      names = "--epochs",
      defaultValue = "10",
      description = "Passes over the training set (default ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--batch",
      defaultValue = "16",
      description = "Sequences per optimizer step (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--optimizer",
      defaultValue = "adam",
      description = "adam or sgd (default ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(
      names = "--lr",
      defaultValue = "0.002",
      description = "Learning rate (default ${DEFAULT-VALUE}).")
  double lr;

  @Option(
      names = "--tau-lr",
      defaultValue = "1",
      description =
          "Factor on the learning rate of the trainable time constants (--train-tau,"
              + " --train-readout-tau): their own parameter group's rate, e.g. 0.01 (default"
              + " ${DEFAULT-VALUE}: the rate of every other parameter).")
  double tauLr;

  @Option(
      names = "--momentum",
      defaultValue = "0.9",
      description = "SGD momentum (default ${DEFAULT-VALUE}).")
  double momentum;

  @Option(
      names = "--clip",
      defaultValue = "1.0",
      description = "Clip the gradient's global L2 norm to this value; 0 disables (default 1.0).")
  double clip;

  @Option(
      names = "--cosine",
      description = "Cosine learning-rate decay over all steps, with this many warm-up steps.")
  Integer warmup;

  @Option(
      names = "--truncate",
      defaultValue = "0",
      description =
          "Truncated BPTT: cut the gradient through time every K steps, counted back from the end"
              + " of each sequence; 0 (default) is full BPTT. The baseline long memory needs.")
  int truncate;

  /** The training settings these options give; a bad value fails naming its option. */
  TrainingConfig toConfig() {
    OptimizerConfig opt =
        named(
            "--lr, --momentum",
            () ->
                switch (optimizer) {
                  case "adam" -> AdamConfig.defaults(lr);
                  case "sgd" -> new SgdConfig(lr, momentum, false, 0.0);
                  default ->
                      throw new IllegalArgumentException(
                          "--optimizer: expected adam or sgd, got '" + optimizer + "'");
                });
    LearningRatePolicy policy =
        warmup == null
            ? new LearningRatePolicy.Constant()
            : named("--cosine", () -> new LearningRatePolicy.Cosine(warmup, 0.0));
    check("--epochs", epochs >= 1, ">= 1", epochs);
    check("--batch", batch >= 1, ">= 1", batch);
    check("--clip", clip >= 0 && Double.isFinite(clip), "finite and >= 0", clip);
    check("--truncate", truncate >= 0, ">= 0", truncate);
    check("--tau-lr", tauLr > 0 && Double.isFinite(tauLr), "a finite factor > 0", tauLr);
    return new TrainingConfig(epochs, batch, opt, policy, clip, truncate, tauLr);
  }

  private static void check(String option, boolean ok, String expected, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(option + ": expected " + expected + ", got " + value);
    }
  }

  private static <T> T named(String option, java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("--")) {
        throw e;
      }
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }
}
