package dev.rewind.examples.cli;

import dev.rewind.trainer.io.BatchFiles;
import dev.rewind.trainer.model.LossSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rewind data}: one generated batch as inputs.npy [T][B][N0] and labels.npy [B], or [T][B]
 * with {@code --step-labels} (the labels a per-step loss head reads).
 */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description =
        "Write one batch of a built-in dataset (the first of its training set) as inputs.npy"
            + " and labels.npy.")
public final class DataCommand implements Callable<Integer> {
  @Mixin TaskOptions task;

  @Option(names = "--batch", defaultValue = "16", description = "Sequences in the batch.")
  int batch;

  @Option(names = "--seed", defaultValue = "42", description = "Data seed.")
  long seed;

  @Option(names = "--out", required = true, description = "Folder for the two files.")
  Path out;

  @Mixin StepSupervisionOptions perStep;

  @Override
  public Integer call() throws IOException {
    LossSpec head = perStep.head();
    Files.createDirectories(out);
    BatchFiles.write(
        out.resolve("inputs.npy"),
        out.resolve("labels.npy"),
        task.load(batch, 0, batch, seed, head).train().get(0));
    return 0;
  }
}
