package dev.rewind.trainer.bench;

import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.data.DenseFrames;
import dev.rewind.trainer.io.BatchFiles;
import dev.rewind.trainer.io.ParameterFiles;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.Surrogate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@link ForwardBackwardBenchmark}'s reference problem (model.json, params/, inputs.npy,
 * labels.npy) and Rewind's store-all gradient of it (grad/, loss.txt) to a folder, so that the
 * PyTorch script times and checks the very same data. Arguments: folder, T, surrogate (fast_sigmoid
 * or triangle).
 */
public final class ReferenceProblemExport {
  private ReferenceProblemExport() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException(
          "arguments: expected <folder> <T> <fast_sigmoid|triangle>, got " + args.length);
    }
    Path dir = Path.of(args[0]);
    int steps = Integer.parseInt(args[1]);
    Surrogate surrogate =
        switch (args[2]) {
          case "fast_sigmoid" -> new Surrogate.FastSigmoid(Surrogate.FastSigmoid.DEFAULT_GAMMA);
          case "triangle" -> new Surrogate.Triangle(Surrogate.Triangle.DEFAULT_WIDTH);
          default ->
              throw new IllegalArgumentException(
                  "surrogate: expected fast_sigmoid or triangle, got '" + args[2] + "'");
        };
    ModelConfig config = ForwardBackwardBenchmark.referenceConfig(surrogate);
    Parameters parameters = Parameters.initialise(config, 7, InitScheme.DEFAULT);
    DenseFrames frames = ForwardBackwardBenchmark.referenceInputs(steps);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("model.json"), config.toJson());
    ParameterFiles files = new ParameterFiles(config);
    files.write(dir.resolve("params"), parameters.data());
    BatchFiles.write(dir.resolve("inputs.npy"), dir.resolve("labels.npy"), frames);
    BpttResult result = new StoreAllBptt(config, frames.batchSize()).run(parameters, frames);
    files.write(dir.resolve("grad"), result.gradient());
    Files.writeString(dir.resolve("loss.txt"), Double.toString(result.loss()));
  }
}
