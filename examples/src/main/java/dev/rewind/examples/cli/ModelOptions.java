package dev.rewind.examples.cli;

import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Surrogate;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options that shape the spiking network. */
public final class ModelOptions {
  @Option(
      names = "--layers",
      split = ",",
      defaultValue = "128,128",
      description = "LIF layer sizes, input side first (default: ${DEFAULT-VALUE}).")
  List<Integer> layers;

  @Option(
      names = "--recurrent",
      split = ",",
      description =
          "Per layer, whether it is recurrent, e.g. true,false (default: the first layer only).")
  List<Boolean> recurrent;

  @Option(
      names = "--surrogate",
      defaultValue = "fast_sigmoid",
      description = "fast_sigmoid (1/(1+10|v-theta|)^2) or triangle (width 0.5).")
  String surrogate;

  /** The model for {@code inputs} channels and {@code classes} classes. */
  ModelConfig toConfig(int inputs, int classes) {
    if (recurrent != null && recurrent.size() != layers.size()) {
      throw new IllegalArgumentException(
          "--recurrent: expected one value per layer ("
              + layers.size()
              + "), got "
              + recurrent.size());
    }
    List<LayerConfig> list = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      boolean rec = recurrent == null ? i == 0 : recurrent.get(i);
      list.add(new LayerConfig(layers.get(i), rec));
    }
    return new ModelConfig(inputs, list, classes, surrogate(surrogate));
  }

  static Surrogate surrogate(String name) {
    return switch (name) {
      case "fast_sigmoid" -> new Surrogate.FastSigmoid(Surrogate.FastSigmoid.DEFAULT_GAMMA);
      case "triangle" -> new Surrogate.Triangle(Surrogate.Triangle.DEFAULT_WIDTH);
      default ->
          throw new IllegalArgumentException(
              "--surrogate: expected fast_sigmoid or triangle, got '" + name + "'");
    };
  }
}
