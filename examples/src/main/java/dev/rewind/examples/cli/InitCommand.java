package dev.rewind.examples.cli;

import dev.rewind.trainer.io.ParameterFiles;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rewind init}: seeded initial parameters of a model, as a folder of .npy files. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = "Write seeded initial parameters of a model config as .npy files.")
public final class InitCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "Model config JSON file.")
  Path config;

  @Option(names = "--seed", defaultValue = "42", description = "Initialisation seed.")
  long seed;

  @Option(names = "--out", required = true, description = "Folder for the .npy files.")
  Path out;

  @Override
  public Integer call() throws IOException {
    ModelConfig model = ModelConfig.fromJson(Files.readString(config));
    new ParameterFiles(model)
        .write(out, Parameters.initialise(model, seed, InitScheme.DEFAULT).data());
    return 0;
  }
}
