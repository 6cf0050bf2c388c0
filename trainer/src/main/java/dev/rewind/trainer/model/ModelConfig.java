package dev.rewind.trainer.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * The shape and constants of a LIF spiking network with a leaky-integrator readout, exactly as
 * MODEL_SPEC.md defines it. Immutable and validated at construction; round-trips through JSON
 * ({@link #toJson()}, {@link #fromJson(String)}):
 *
 * <pre>{"inputSize":128,"layers":[{"size":512,"recurrent":true,"beta":0.951}],"classes":10,
 *  "surrogate":{"kind":"fast_sigmoid","gamma":10.0},"theta":1.0,"betaOut":0.951}</pre>
 *
 * <p>plus {@code "loss":"last:K"} where the loss head is not v1's mean over time ({@link
 * LossSpec}), and {@code "trainReadoutTau":true} where the readout's leak is trainable, one per
 * class, beta_o,c = sigmoid(qo_c) (MODEL_SPEC v2), initialised from betaOut.
 */
public record ModelConfig(
    int inputSize,
    List<LayerConfig> layers,
    int classes,
    Surrogate surrogate,
    double theta,
    double betaOut,
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = MeanHead.class) LossSpec loss,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean trainReadoutTau) {
  public static final double DEFAULT_THETA = 1.0;
  public static final double DEFAULT_BETA_OUT = Math.exp(-1.0 / 20);
  private static final ObjectMapper JSON = new ObjectMapper();

  public ModelConfig {
    if (inputSize <= 0) {
      throw new IllegalArgumentException("inputSize: expected > 0, got " + inputSize);
    }
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("layers: expected at least one layer, got none");
    }
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) == null) {
        throw new IllegalArgumentException("layers[" + i + "]: expected a layer, got null");
      }
    }
    layers = List.copyOf(layers);
    if (classes < 2) {
      throw new IllegalArgumentException("classes: expected >= 2, got " + classes);
    }
    if (surrogate == null) {
      throw new IllegalArgumentException("surrogate: expected fast_sigmoid or triangle, got null");
    }
    if (!(theta > 0) || Double.isInfinite(theta)) {
      throw new IllegalArgumentException("theta: expected finite and > 0, got " + theta);
    }
    LayerConfig.checkBeta("betaOut", betaOut);
    if (loss == null) {
      throw new IllegalArgumentException("loss: expected mean or last:K, got null");
    }
  }

  /** A config with a fixed readout leak. */
  public ModelConfig(
      int inputSize,
      List<LayerConfig> layers,
      int classes,
      Surrogate surrogate,
      double theta,
      double betaOut,
      LossSpec loss) {
    this(inputSize, layers, classes, surrogate, theta, betaOut, loss, false);
  }

  /** A config with v1's mean-over-time loss head. */
  public ModelConfig(
      int inputSize,
      List<LayerConfig> layers,
      int classes,
      Surrogate surrogate,
      double theta,
      double betaOut) {
    this(inputSize, layers, classes, surrogate, theta, betaOut, LossSpec.MEAN);
  }

  /** A config with the default theta and readout leak. */
  public ModelConfig(int inputSize, List<LayerConfig> layers, int classes, Surrogate surrogate) {
    this(inputSize, layers, classes, surrogate, DEFAULT_THETA, DEFAULT_BETA_OUT);
  }

  @JsonCreator
  static ModelConfig create(
      @JsonProperty("inputSize") Integer inputSize,
      @JsonProperty("layers") List<LayerConfig> layers,
      @JsonProperty("classes") Integer classes,
      @JsonProperty("surrogate") Surrogate surrogate,
      @JsonProperty("theta") Double theta,
      @JsonProperty("betaOut") Double betaOut,
      @JsonProperty("loss") LossSpec loss,
      @JsonProperty("trainReadoutTau") Boolean trainReadoutTau) {
    if (inputSize == null || classes == null) {
      throw new IllegalArgumentException(
          "model config: expected 'inputSize' and 'classes', got " + inputSize + ", " + classes);
    }
    return new ModelConfig(
        inputSize,
        layers,
        classes,
        surrogate == null
            ? new Surrogate.FastSigmoid(Surrogate.FastSigmoid.DEFAULT_GAMMA)
            : surrogate,
        theta == null ? DEFAULT_THETA : theta,
        betaOut == null ? DEFAULT_BETA_OUT : betaOut,
        loss == null ? LossSpec.MEAN : loss,
        trainReadoutTau != null && trainReadoutTau);
  }

  /** This config with the loss head {@code head}. */
  public ModelConfig withLoss(LossSpec head) {
    return new ModelConfig(
        inputSize, layers, classes, surrogate, theta, betaOut, head, trainReadoutTau);
  }

  /**
   * This config with every time constant trainable ({@code train}: each layer's and the readout's)
   * or every one fixed.
   */
  public ModelConfig withTrainTau(boolean train) {
    return new ModelConfig(
        inputSize,
        layers.stream().map(l -> l.withTrainTau(train)).toList(),
        classes,
        surrogate,
        theta,
        betaOut,
        loss,
        train);
  }

  /**
   * This config with the readout's leak trainable ({@code train}) or fixed, the layers as they are.
   */
  public ModelConfig withTrainReadoutTau(boolean train) {
    return new ModelConfig(inputSize, layers, classes, surrogate, theta, betaOut, loss, train);
  }

  /** Whether any time constant is a parameter (MODEL_SPEC v2): a layer's or the readout's. */
  public boolean trainsTimeConstants() {
    return trainReadoutTau || layers.stream().anyMatch(LayerConfig::trainTau);
  }

  /** Number of LIF layers L. */
  public int depth() {
    return layers.size();
  }

  /** Width N_l of layer l, with N_0 the input size (l in 0..L). */
  public int width(int l) {
    return l == 0 ? inputSize : layers.get(l - 1).size();
  }

  /** The JSON form of this config. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("model config could not be written as JSON", e);
    }
  }

  /**
   * Parses and validates a config; a malformed or invalid document is an IllegalArgumentException.
   */
  public static ModelConfig fromJson(String json) {
    try {
      return JSON.readValue(json, ModelConfig.class);
    } catch (JsonProcessingException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException iae) {
        throw iae;
      }
      throw new IllegalArgumentException("model config JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Leaves v1's head out of the JSON, so that v1 model files read and write as before. */
  static final class MeanHead {
    @Override
    public boolean equals(Object other) {
      return LossSpec.MEAN.equals(other);
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }
}
