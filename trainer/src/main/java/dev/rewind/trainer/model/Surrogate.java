package dev.rewind.trainer.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The pseudo-derivative used for d s_t / d v_t of a spike (MODEL_SPEC.md). JSON: {@code {"kind":
 * "fast_sigmoid", "gamma": 10}} or {@code {"kind": "triangle", "width": 0.5}}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Surrogate.FastSigmoid.class, name = "fast_sigmoid"),
  @JsonSubTypes.Type(value = Surrogate.Triangle.class, name = "triangle")
})
public sealed interface Surrogate permits Surrogate.FastSigmoid, Surrogate.Triangle {

  /** The derivative at membrane potential {@code v} for threshold {@code theta}, in float. */
  float derivative(float v, float theta);

  /**
   * True when the derivative is exactly zero outside a band around the threshold, so a tape only
   * needs its non-zero entries.
   */
  boolean compactSupport();

  /** {@code 1 / (1 + gamma |v - theta|)^2}. */
  record FastSigmoid(double gamma) implements Surrogate {
    public static final double DEFAULT_GAMMA = 10.0;

    public FastSigmoid {
      if (!(gamma > 0) || Double.isInfinite(gamma)) {
        throw new IllegalArgumentException(
            "surrogate fast_sigmoid: expected gamma finite and > 0, got " + gamma);
      }
    }

    @JsonCreator
    static FastSigmoid fromJson(@JsonProperty("gamma") Double gamma) {
      return new FastSigmoid(gamma == null ? DEFAULT_GAMMA : gamma);
    }

    @Override
    public float derivative(float v, float theta) {
      float x = 1f + (float) gamma * Math.abs(v - theta);
      return 1f / (x * x);
    }

    @Override
    public boolean compactSupport() {
      return false;
    }
  }

  /** {@code max(0, 1 - |v - theta| / width) / width}: exactly zero outside the band. */
  record Triangle(double width) implements Surrogate {
    public static final double DEFAULT_WIDTH = 0.5;

    public Triangle {
      if (!(width > 0) || Double.isInfinite(width)) {
        throw new IllegalArgumentException(
            "surrogate triangle: expected width finite and > 0, got " + width);
      }
    }

    @JsonCreator
    static Triangle fromJson(@JsonProperty("width") Double width) {
      return new Triangle(width == null ? DEFAULT_WIDTH : width);
    }

    @Override
    public float derivative(float v, float theta) {
      float w = (float) width;
      float a = 1f - Math.abs(v - theta) / w;
      return a > 0f ? a / w : 0f;
    }

    @Override
    public boolean compactSupport() {
      return true;
    }
  }
}
