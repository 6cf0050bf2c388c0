package dev.rewind.trainer.petra;

import dev.rewind.trainer.model.Surrogate;
import java.util.Objects;

/**
 * A reversible spiking network for PETRA and its backprop baseline: a stem ({@link
 * InputProjection}) from {@code inputChannels} to two halves of {@code width}, {@code blocks}
 * {@link ReversibleBlock}s whose F and G have {@code hidden} LIF neurons, and a {@link
 * LeakyReadout} to {@code classes}.
 *
 * @param inputGain scale of the stem's and F/G's input weights at initialisation, > 0
 * @param couplingGain scale of F/G's output maps at initialisation, > 0
 */
public record ReversibleNetworkConfig(
    int inputChannels,
    int width,
    int hidden,
    int blocks,
    int classes,
    boolean recurrent,
    double beta,
    double readoutBeta,
    double theta,
    Surrogate surrogate,
    double inputGain,
    double couplingGain) {

  public ReversibleNetworkConfig {
    if (inputChannels <= 0 || width <= 0 || hidden <= 0 || blocks <= 0) {
      throw new IllegalArgumentException(
          "inputChannels, width, hidden, blocks: expected > 0, got "
              + inputChannels
              + ", "
              + width
              + ", "
              + hidden
              + ", "
              + blocks);
    }
    if (classes < 2) {
      throw new IllegalArgumentException("classes: expected >= 2, got " + classes);
    }
    if (!(inputGain > 0)
        || !(couplingGain > 0)
        || Double.isInfinite(inputGain)
        || Double.isInfinite(couplingGain)) {
      throw new IllegalArgumentException(
          "inputGain, couplingGain: expected finite and > 0, got "
              + inputGain
              + ", "
              + couplingGain);
    }
    Objects.requireNonNull(surrogate, "surrogate");
    mapConfig(width, hidden, recurrent, beta, theta, surrogate);
    if (!(readoutBeta >= 0 && readoutBeta < 1)) {
      throw new IllegalArgumentException("readoutBeta: expected in [0, 1), got " + readoutBeta);
    }
  }

  /**
   * MODEL_SPEC defaults (beta = beta_o = exp(-1/20), theta = 1, fast-sigmoid gamma = 10),
   * non-recurrent F and G, gains 2 (stem and F/G inputs) and 0.5 (F/G outputs).
   */
  public static ReversibleNetworkConfig defaults(
      int inputChannels, int width, int hidden, int blocks, int classes) {
    double beta = Math.exp(-1.0 / 20);
    return new ReversibleNetworkConfig(
        inputChannels,
        width,
        hidden,
        blocks,
        classes,
        false,
        beta,
        beta,
        1.0,
        new Surrogate.FastSigmoid(Surrogate.FastSigmoid.DEFAULT_GAMMA),
        2.0,
        0.5);
  }

  /** The same network with {@code blocks} blocks. */
  public ReversibleNetworkConfig withBlocks(int blocks) {
    return new ReversibleNetworkConfig(
        inputChannels,
        width,
        hidden,
        blocks,
        classes,
        recurrent,
        beta,
        readoutBeta,
        theta,
        surrogate,
        inputGain,
        couplingGain);
  }

  /** The same network with recurrent (or not) F and G. */
  public ReversibleNetworkConfig withRecurrent(boolean recurrent) {
    return new ReversibleNetworkConfig(
        inputChannels,
        width,
        hidden,
        blocks,
        classes,
        recurrent,
        beta,
        readoutBeta,
        theta,
        surrogate,
        inputGain,
        couplingGain);
  }

  /** The config of every F and G. */
  public SequenceMapConfig mapConfig() {
    return mapConfig(width, hidden, recurrent, beta, theta, surrogate);
  }

  private static SequenceMapConfig mapConfig(
      int width, int hidden, boolean recurrent, double beta, double theta, Surrogate surrogate) {
    return new SequenceMapConfig(width, hidden, width, recurrent, beta, theta, surrogate);
  }
}
