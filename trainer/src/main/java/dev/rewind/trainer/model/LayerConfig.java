package dev.rewind.trainer.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One LIF layer: its width, whether it has a recurrent matrix R, and its fixed leak {@code beta} in
 * (0, 1). JSON: {@code {"size": 512, "recurrent": true, "beta": 0.95}}; beta defaults to
 * exp(-1/20), recurrent to false.
 */
public record LayerConfig(int size, boolean recurrent, double beta) {
  public static final double DEFAULT_BETA = Math.exp(-1.0 / 20);

  public LayerConfig {
    if (size <= 0) {
      throw new IllegalArgumentException("layer size: expected > 0, got " + size);
    }
    checkBeta("layer beta", beta);
  }

  public LayerConfig(int size, boolean recurrent) {
    this(size, recurrent, DEFAULT_BETA);
  }

  @JsonCreator
  static LayerConfig fromJson(
      @JsonProperty("size") Integer size,
      @JsonProperty("recurrent") Boolean recurrent,
      @JsonProperty("beta") Double beta) {
    if (size == null) {
      throw new IllegalArgumentException("layer: expected a 'size', got none");
    }
    return new LayerConfig(
        size, recurrent != null && recurrent, beta == null ? DEFAULT_BETA : beta);
  }

  static void checkBeta(String what, double beta) {
    if (!(beta > 0 && beta < 1)) {
      throw new IllegalArgumentException(what + ": expected in (0, 1), got " + beta);
    }
  }
}
