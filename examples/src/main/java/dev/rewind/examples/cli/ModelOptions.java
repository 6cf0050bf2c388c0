package dev.rewind.examples.cli;

import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.LossSpec;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.ModelSetup;
import dev.rewind.trainer.model.Surrogate;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options that shape the spiking network. */
final class ModelOptions {
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
      names = "--neuron",
      split = ",",
      defaultValue = "lif",
      description =
          "Neuron model, one for every layer or one per layer: lif, or alif (adaptive threshold,"
              + " MODEL_SPEC v2) (default ${DEFAULT-VALUE}).")
  List<String> neuron;

  @Option(
      names = "--kappa",
      split = ",",
      defaultValue = "1.8",
      description =
          "ALIF layers: how much the adaptation raises the threshold, one value or one per layer,"
              + " > 0 (default ${DEFAULT-VALUE}).")
  List<Double> kappa;

  @Option(
      names = "--adaptation-tau",
      split = ",",
      defaultValue = "200",
      description =
          "ALIF layers: adaptation time constant in steps, rho = exp(-1/tau_a), one value or one"
              + " per layer (default ${DEFAULT-VALUE}).")
  List<Double> adaptationTau;

  @Option(
      names = "--train-tau",
      arity = "0..1",
      fallbackValue = "true",
      split = ",",
      description =
          "Trainable time constants (MODEL_SPEC v2): every neuron's membrane leak (--tau) and"
              + " every ALIF neuron's adaptation decay (--adaptation-tau) become parameters, beta"
              + " = sigmoid(q), initialised from those values. Alone: every layer; or one value"
              + " per layer, e.g. --train-tau false,true.")
  List<Boolean> trainTau;

  @Option(
      names = "--train-readout-tau",
      description =
          "Trainable readout leak (MODEL_SPEC v2): each class's own, beta_o = sigmoid(qo),"
              + " initialised from --readout-tau.")
  boolean trainReadoutTau;

  @Option(
      names = "--threshold",
      defaultValue = "1.0",
      description = "Spike threshold theta (default ${DEFAULT-VALUE}).")
  double threshold;

  @Option(
      names = "--readout-tau",
      defaultValue = "20",
      description =
          "Readout time constant in steps: beta_o = exp(-1/tau) (default ${DEFAULT-VALUE}).")
  double readoutTau;

  @Option(
      names = "--surrogate",
      defaultValue = "fast_sigmoid",
      description =
          "fast_sigmoid (1/(1+gamma|v-theta|)^2, gamma 10) or triangle (half-width 0.5)"
              + " (default ${DEFAULT-VALUE}).")
  String surrogate;

  @Option(
      names = "--loss",
      defaultValue = "mean",
      description =
          "Loss head: mean (softmax cross-entropy of the readout averaged over every step),"
              + " last:K (averaged over the last K steps; last:1 is the last step), per-step"
              + " (cross-entropy at every labelled step) or regression (squared error against a"
              + " target vector at every targeted step); per-step and regression take --task"
              + " long-memory, whose recall steps carry the label or its one-hot target, or"
              + " Parquet with labels array<int> or targets array<array<float>> (default"
              + " ${DEFAULT-VALUE}).")
  String loss;

  @Option(
      names = "--tau",
      split = ",",
      defaultValue = "20",
      description =
          "Membrane time constant in steps, beta = exp(-1/tau): one value for every LIF layer or"
              + " one per layer (default ${DEFAULT-VALUE}).")
  List<Double> tau;

  @Option(
      names = "--init-scale",
      split = ",",
      description =
          "Weight init scales input,recurrent,readout: uniform +-scale/sqrt(fan_in)"
              + " (default 60,4,1 for spike inputs, tuned for sparse spikes; 60,1,1 for the dense"
              + " inputs of fmnist-seq).")
  List<Double> initScale;

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

  /** The network, its init and seed for {@code data}'s channels and classes. */
  ModelSetup toSetup(TaskOptions.TaskData data, long seed) {
    return toSetup(data.channels(), data.classes(), data.denseInputs(), seed);
  }

  /** The network, its init and seed for {@code inputs} channels and {@code classes} classes. */
  ModelSetup toSetup(int inputs, int classes, boolean denseInputs, long seed) {
    InitScheme init = initScale == null && denseInputs ? DenseInputInit.SCHEME : initScheme();
    return new ModelSetup(toConfig(inputs, classes), init, seed);
  }

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
      double t = perLayer("--tau", tau, i);
      String n = perLayer("--neuron", neuron, i);
      double k = perLayer("--kappa", kappa, i);
      double ta = perLayer("--adaptation-tau", adaptationTau, i);
      boolean train = trainTau != null && perLayer("--train-tau", trainTau, i);
      try {
        list.add(
            LayerConfig.of(layers.get(i), rec, beta("--tau", t), n, k, ta).withTrainTau(train));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--neuron " + n + " (layer " + (i + 1) + "): " + e.getMessage(), e);
      }
    }
    if (!(threshold > 0) || Double.isInfinite(threshold)) {
      throw new IllegalArgumentException("--threshold: expected finite and > 0, got " + threshold);
    }
    LossSpec head = lossHead();

    return new ModelConfig(
            inputs,
            list,
            classes,
            surrogate(surrogate),
            threshold,
            beta("--readout-tau", readoutTau),
            head)
        .withTrainReadoutTau(trainReadoutTau);
  }

  /**
   * Whether {@code --train-tau} or {@code --train-readout-tau} makes any time constant trainable.
   */
  boolean trainsTimeConstants() {
    return trainReadoutTau || (trainTau != null && trainTau.contains(true));
  }

  /** The loss head {@code --loss} names. */
  LossSpec lossHead() {
    try {
      return LossSpec.parse(loss);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--loss: " + e.getMessage(), e);
    }
  }

  /** Layer i's value of an option given once for every layer or once per layer. */
  private <T> T perLayer(String option, List<T> values, int i) {
    if (values.size() != 1 && values.size() != layers.size()) {
      throw new IllegalArgumentException(
          option + ": expected one value or one per layer (" + layers.size() + "), got " + values);
    }
    return values.size() == 1 ? values.get(0) : values.get(i);
  }

  private static double beta(String option, double tau) {
    if (!(tau > 0) || Double.isInfinite(tau)) {
      throw new IllegalArgumentException(option + ": expected a number of steps > 0, got " + tau);
    }
    return LayerConfig.betaOf(tau);
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
