package dev.rewind.examples.cli;

import dev.rewind.trainer.model.InitScheme;
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
      arity = "1",
      description =
          "Per layer, whether it is recurrent, e.g. true,false (default: the first layer only).")
  List<Boolean> recurrent;

  @Option(
      names = "--surrogate",
      defaultValue = "fast_sigmoid",
      description = "fast_sigmoid (1/(1+10|v-theta|)^2) or triangle (width 0.5).")
  String surrogate;

  @Option(
      names = "--tau",
      defaultValue = "20",
      description = "Membrane time constant of every LIF layer in steps: beta = exp(-1/tau).")
  double tau;

  @Option(
      names = "--init-scale",
      split = ",",
      description =
          "Weight init scales input,recurrent,readout: uniform +-scale/sqrt(fan_in)"
              + " (default 60,4,1 for spike inputs, tuned for sparse spikes; 60,1,1 for the dense"
              + " inputs of fmnist-seq).")
  List<Double> initScale;

  /**
   * How to draw the initial weights for {@code data}: --init-scale when given, else {@link
   * DenseInputInit} for dense inputs and {@link InitScheme#DEFAULT} for spikes.
   */
  InitScheme initScheme(TaskOptions.TaskData data) {
    if (initScale == null && data.denseInputs()) {
      return DenseInputInit.SCHEME;
    }
    return initScheme();
  }

  /** How to draw the initial weights. */
  InitScheme initScheme() {
    if (initScale == null) {
      return InitScheme.DEFAULT;
    }
    if (initScale.size() != 3) {
      throw new IllegalArgumentException(
          "--init-scale: expected 3 values (input,recurrent,readout), got " + initScale);
    }
    return new InitScheme(initScale.get(0), initScale.get(1), initScale.get(2));
  }

  /** The model for {@code inputs} channels and {@code classes} classes. */
  ModelConfig toConfig(int inputs, int classes) {
    if (!(tau > 0) || Double.isInfinite(tau)) {
      throw new IllegalArgumentException("--tau: expected a number of steps > 0, got " + tau);
    }
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
      list.add(new LayerConfig(layers.get(i), rec, Math.exp(-1.0 / tau)));
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
