package dev.rewind.examples.cli;

import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.StepLoss;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.io.BatchFiles;
import dev.rewind.trainer.io.ParameterFiles;
import dev.rewind.trainer.model.LossSpec;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.training.GradientFunction;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rewind grad}: the loss and exact gradient of one batch for a given model, all as .npy
 * files, so that Rewind can be checked against PyTorch or snnTorch tensor by tensor.
 */
@Command(
    name = "grad",
    mixinStandardHelpOptions = true,
    description = "Loss and gradient of one batch: model JSON + parameter .npy folder + inputs.")
public final class GradCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "Model config JSON file.")
  Path config;

  @Option(names = "--params", required = true, description = "Folder of parameter .npy files.")
  Path params;

  @Option(names = "--inputs", required = true, description = "float32 .npy of shape [T][B][N0].")
  Path inputs;

  @Option(
      names = "--labels",
      required = true,
      description = "int32 .npy of shape [B], or [T][B] for the per-step loss head (-1: none).")
  Path labels;

  @Option(names = "--out", required = true, description = "Folder for the gradient .npy files.")
  Path out;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    ModelConfig model = ModelConfig.fromJson(Files.readString(config));
    ParameterFiles files = new ParameterFiles(model);
    Parameters parameters = files.read(params);
    FrameSource batch = BatchFiles.read(inputs, labels);
    String expected = supervisionShape(model.loss());
    String got = supervisionShape(batch);
    if (!expected.equals(got)) {
      throw new IllegalArgumentException(
          labels
              + ": expected shape "
              + expected
              + " for loss "
              + model.loss()
              + " (in "
              + config
              + "), got "
              + got);
    }
    if (model.loss().perStep()) {
      try {
        new StepLoss(model).count(batch);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(labels + ": " + e.getMessage(), e);
      }
    }
    if (batch.channels() != model.inputSize()) {
      throw new IllegalArgumentException(
          inputs
              + ": expected "
              + model.inputSize()
              + " input channels (inputSize of "
              + config
              + "), got "
              + batch.channels());
    }
    BpttResult result =
        GradientFunction.storeAll(model, batch.batchSize()).gradient(parameters, batch);
    files.write(out, result.gradient());
    PrintWriter console = spec.commandLine().getOut();
    console.printf(Locale.ROOT, "loss %.9g%n", result.loss());
    if (!model.loss().regression()) {
      console.printf(Locale.ROOT, "accuracy %.4f%n", result.accuracy());
    }
    return 0;
  }

  private static String supervisionShape(LossSpec head) {
    return head.regression() ? "float [T, B, C]" : head.perStep() ? "[T, B]" : "[B]";
  }

  private static String supervisionShape(FrameSource batch) {
    return batch.targetWidth() > 0 ? "float [T, B, C]" : batch.hasStepLabels() ? "[T, B]" : "[B]";
  }
}
