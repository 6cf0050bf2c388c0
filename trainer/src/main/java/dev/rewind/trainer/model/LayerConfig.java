package dev.rewind.trainer.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One spiking layer: its width, whether it has a recurrent matrix R, its fixed leak {@code beta} in
 * (0, 1), and, for an adaptive (ALIF) layer (MODEL_SPEC v2), the strength {@code kappa} > 0 by
 * which its adaptation variable raises the threshold and that variable's fixed decay {@code rho} in
 * (0, 1). {@code kappa = 0} is the v1 LIF layer, whose {@code rho} is 0. With {@code trainTau}
 * (MODEL_SPEC v2, trainable time constants) beta and rho are instead each neuron's own parameter,
 * beta_i = sigmoid(q_i) and rho_i = sigmoid(p_i), initialised from this layer's beta and rho. JSON:
 * {@code {"size": 512, "recurrent": true, "beta": 0.95}}, plus {@code "kappa": 1.8, "rho": 0.995}
 * for an ALIF layer and {@code "trainTau": true} for trainable time constants; beta defaults to
 * exp(-1/20), recurrent to false.
 */
public record LayerConfig(
    int size,
    boolean recurrent,
    double beta,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) double kappa,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) double rho,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean trainTau) {
  public static final double DEFAULT_BETA = Math.exp(-1.0 / 20);

  public LayerConfig {
    if (size <= 0) {
      throw new IllegalArgumentException("layer size: expected > 0, got " + size);
    }
    checkBeta("layer beta", beta);
    if (!(kappa >= 0) || Double.isInfinite(kappa)) {
      throw new IllegalArgumentException("layer kappa: expected a number >= 0, got " + kappa);
    }
    if (kappa > 0) {
      checkBeta("layer rho", rho);
    } else if (rho != 0) {
      throw new IllegalArgumentException(
          "layer rho: expected 0 for a LIF layer (kappa = 0), got " + rho);
    }
  }

  /** A layer with fixed time constants. */
  public LayerConfig(int size, boolean recurrent, double beta, double kappa, double rho) {
    this(size, recurrent, beta, kappa, rho, false);
  }

  public LayerConfig(int size, boolean recurrent, double beta) {
    this(size, recurrent, beta, 0, 0);
  }

  /** This layer with trainable time constants ({@code train}) or fixed ones. */
  public LayerConfig withTrainTau(boolean train) {
    return new LayerConfig(size, recurrent, beta, kappa, rho, train);
  }

  public LayerConfig(int size, boolean recurrent) {
    this(size, recurrent, DEFAULT_BETA);
  }

  /**
   * An ALIF layer: adaptation strength {@code kappa} > 0 and adaptation time constant {@code
   * adaptationTau} steps (rho = exp(-1/tau_a)).
   */
  public static LayerConfig adaptive(
      int size, boolean recurrent, double beta, double kappa, double adaptationTau) {
    if (!(kappa > 0)) {
      throw new IllegalArgumentException("ALIF layer kappa: expected > 0, got " + kappa);
    }
    return new LayerConfig(size, recurrent, beta, kappa, betaOf(adaptationTau));
  }

  /**
   * The layer a neuron model names: {@code lif}, or {@code alif} with adaptation strength {@code
   * kappa} and adaptation time constant {@code adaptationTau} steps (both ignored for lif).
   */
  public static LayerConfig of(
      int size, boolean recurrent, double beta, String neuron, double kappa, double adaptationTau) {
    return switch (neuron) {
      case "lif" -> new LayerConfig(size, recurrent, beta);
      case "alif" -> adaptive(size, recurrent, beta, kappa, adaptationTau);
      default ->
          throw new IllegalArgumentException("neuron: expected lif or alif, got '" + neuron + "'");
    };
  }

  /** {@code lif} or {@code alif}, as {@link #of} reads it. */
  public String neuron() {
    return adaptive() ? "alif" : "lif";
  }

  /** Whether this is an ALIF layer, with an adaptive threshold. */
  public boolean adaptive() {
    return kappa > 0;
  }

  @JsonCreator
  static LayerConfig fromJson(
      @JsonProperty("size") Integer size,
      @JsonProperty("recurrent") Boolean recurrent,
      @JsonProperty("beta") Double beta,
      @JsonProperty("kappa") Double kappa,
      @JsonProperty("rho") Double rho,
      @JsonProperty("trainTau") Boolean trainTau) {
    if (size == null) {
      throw new IllegalArgumentException("layer: expected a 'size', got none");
    }
    return new LayerConfig(
        size,
        recurrent != null && recurrent,
        beta == null ? DEFAULT_BETA : beta,
        kappa == null ? 0 : kappa,
        rho == null ? 0 : rho,
        trainTau != null && trainTau);
  }

  /** The logit ln(beta / (1 - beta)) of a leak in (0, 1): the q (or p) with sigmoid(q) = beta. */
  public static double logit(double beta) {
    checkBeta("beta", beta);
    return Math.log(beta / (1 - beta));
  }

  /** sigmoid(q) = 1 / (1 + exp(-q)), the leak of a trainable time constant q (MODEL_SPEC v2). */
  public static double sigmoid(double q) {
    return 1 / (1 + Math.exp(-q));
  }

  /** The leak {@code exp(-1/tau)} of a time constant of {@code tau} steps (> 0). */
  public static double betaOf(double tau) {
    if (!(tau > 0) || Double.isInfinite(tau)) {
      throw new IllegalArgumentException("tau: expected a number of steps > 0, got " + tau);
    }
    return Math.exp(-1.0 / tau);
  }

  /**
   * The time constant whose {@link #betaOf} is exactly {@code beta}: {@code -1/ln(beta)}, moved by
   * the few ulps that rounding may need, so that settings kept as time constants give back the same
   * leak bit for bit.
   */
  public static double tauOf(double beta) {
    checkBeta("beta", beta);
    double tau = -1.0 / Math.log(beta);
    double up = tau;
    double down = tau;
    for (int i = 0; i < 4096; i++) {
      if (Math.exp(-1.0 / up) == beta) {
        return up;
      }
      if (Math.exp(-1.0 / down) == beta) {
        return down;
      }
      up = Math.nextUp(up);
      down = Math.nextDown(down);
    }
    throw new IllegalArgumentException(
        "beta: expected a leak that some time constant gives exactly, got " + beta);
  }

  /** This layer's membrane time constant in steps ({@link #tauOf}). */
  public double tau() {
    return tauOf(beta);
  }

  static void checkBeta(String what, double beta) {
    if (!(beta > 0 && beta < 1)) {
      throw new IllegalArgumentException(what + ": expected in (0, 1), got " + beta);
    }
  }
}
