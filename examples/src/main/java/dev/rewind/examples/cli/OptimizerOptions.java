package dev.rewind.examples.cli;

import dev.rewind.trainer.optim.AdamConfig;
import dev.rewind.trainer.optim.GradientClipping;
import dev.rewind.trainer.optim.LearningRateSchedule;
import dev.rewind.trainer.optim.OptimizerConfig;
import dev.rewind.trainer.optim.SgdConfig;
import dev.rewind.trainer.training.TrainingConfig;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Optimizer, learning rate and clipping. */
public final class OptimizerOptions {
  @Option(names = "--epochs", defaultValue = "10", description = "Passes over the training set.")
  int epochs;

  @Option(names = "--optimizer", defaultValue = "adam", description = "adam or sgd.")
  String optimizer;

  @Option(names = "--lr", defaultValue = "0.002", description = "Learning rate.")
  double lr;

  @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum.")
  double momentum;

  @Option(
      names = "--clip",
      defaultValue = "1.0",
      description = "Clip the gradient's global L2 norm to this value; 0 disables.")
  double clip;

  @Option(
      names = "--cosine",
      description = "Cosine learning-rate decay over all steps, with this many warm-up steps.")
  Integer warmup;

  TrainingConfig toConfig(long stepsPerEpoch) {
    OptimizerConfig opt =
        switch (optimizer) {
          case "adam" -> AdamConfig.defaults(lr);
          case "sgd" -> new SgdConfig(lr, momentum, false, 0.0);
          default ->
              throw new IllegalArgumentException(
                  "--optimizer: expected adam or sgd, got '" + optimizer + "'");
        };
    if (clip < 0) {
      throw new IllegalArgumentException("--clip: expected >= 0, got " + clip);
    }
    LearningRateSchedule schedule =
        warmup == null
            ? LearningRateSchedule.constant()
            : new LearningRateSchedule.CosineWithWarmup(warmup, epochs * stepsPerEpoch, 0.0);
    return new TrainingConfig(
        epochs,
        opt,
        schedule,
        clip == 0 ? Optional.empty() : Optional.of(new GradientClipping(clip)));
  }
}
