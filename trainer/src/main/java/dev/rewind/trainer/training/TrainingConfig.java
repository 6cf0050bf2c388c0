package dev.rewind.trainer.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.trainer.model.ParameterLayout;
import dev.rewind.trainer.model.TensorView;
import dev.rewind.trainer.optim.GradientClipping;
import dev.rewind.trainer.optim.LearningRatePolicy;
import dev.rewind.trainer.optim.LearningRateSchedule;
import dev.rewind.trainer.optim.OptimizerConfig;
import java.util.Optional;

/**
 * How to train, as one validated value shared by the JVM loop, the Spark Estimator's Params, the
 * CLI, saved models and run folders: epochs over the training set, sequences per optimizer step,
 * the optimizer with all its settings, how the learning rate moves over the run, gradient-norm
 * clipping, and truncated or full BPTT. JSON:
 *
 * <pre>{"epochs":10,"batchSize":16,"optimizer":{"kind":"adam","learningRate":0.002,...},
 *  "learningRatePolicy":{"kind":"constant"},"clipNorm":1.0,"truncation":0}</pre>
 *
 * @param epochs passes over the training set, at least 1
 * @param batchSize sequences per optimizer step, at least 1
 * @param clipNorm clip the gradient's global L2 norm to this value; 0 disables clipping
 * @param truncation 0 for full BPTT, or K > 0 for truncated BPTT over K-step windows counted back
 *     from the end of each sequence
 * @param timeConstantRate the factor on the learning rate of the trainable time constants (q, p,
 *     qo, MODEL_SPEC v2), their parameter group's own rate; 1 (the default, left out of the JSON)
 *     trains them at the rate of every other parameter
 */
public record TrainingConfig(
    int epochs,
    int batchSize,
    OptimizerConfig optimizer,
    LearningRatePolicy learningRatePolicy,
    double clipNorm,
    int truncation,
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = UnitRate.class)
        double timeConstantRate) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public TrainingConfig {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs: expected >= 1, got " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize: expected >= 1, got " + batchSize);
    }
    if (optimizer == null) {
      throw new IllegalArgumentException("optimizer: expected adam or sgd settings, got null");
    }
    if (learningRatePolicy == null) {
      throw new IllegalArgumentException(
          "learningRatePolicy: expected constant or cosine, got null");
    }
    if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException(
          "clipNorm: expected finite and >= 0 (0 = off), got " + clipNorm);
    }
    if (truncation < 0) {
      throw new IllegalArgumentException(
          "truncation: expected 0 (full BPTT) or a window of K > 0 steps, got " + truncation);
    }
    if (!(timeConstantRate > 0) || Double.isInfinite(timeConstantRate)) {
      throw new IllegalArgumentException(
          "timeConstantRate: expected a finite factor > 0, got " + timeConstantRate);
    }
  }

  /** A config that trains the time constants at the rate of every other parameter. */
  public TrainingConfig(
      int epochs,
      int batchSize,
      OptimizerConfig optimizer,
      LearningRatePolicy learningRatePolicy,
      double clipNorm,
      int truncation) {
    this(epochs, batchSize, optimizer, learningRatePolicy, clipNorm, truncation, 1);
  }

  /** This config with the time constants' learning rate {@code factor} times the others'. */
  public TrainingConfig withTimeConstantRate(double factor) {
    return new TrainingConfig(
        epochs, batchSize, optimizer, learningRatePolicy, clipNorm, truncation, factor);
  }

  /**
   * Each parameter's factor on the learning rate in {@code layout}: {@link #timeConstantRate()} for
   * the entries of q, p and qo, 1 for the others; null where all are 1.
   */
  public float[] rateFactors(ParameterLayout layout) {
    if (timeConstantRate == 1 || layout.timeConstants().isEmpty()) {
      return null;
    }
    float[] factors = new float[layout.size()];
    java.util.Arrays.fill(factors, 1f);
    for (TensorView v : layout.timeConstants()) {
      java.util.Arrays.fill(factors, v.offset(), v.offset() + v.size(), (float) timeConstantRate);
    }
    return factors;
  }

  /**
   * Leaves the default rate factor 1 out of the JSON, so that older files read and write as before.
   */
  static final class UnitRate {
    @Override
    public boolean equals(Object other) {
      return other instanceof Double d && d == 1.0;
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }

  @JsonCreator
  static TrainingConfig create(
      @JsonProperty("epochs") Integer epochs,
      @JsonProperty("batchSize") Integer batchSize,
      @JsonProperty("optimizer") OptimizerConfig optimizer,
      @JsonProperty("learningRatePolicy") LearningRatePolicy policy,
      @JsonProperty("clipNorm") Double clipNorm,
      @JsonProperty("truncation") Integer truncation,
      @JsonProperty("timeConstantRate") Double timeConstantRate) {
    if (epochs == null || batchSize == null) {
      throw new IllegalArgumentException(
          "training config: expected 'epochs' and 'batchSize', got " + epochs + ", " + batchSize);
    }
    return new TrainingConfig(
        epochs,
        batchSize,
        optimizer,
        policy == null ? new LearningRatePolicy.Constant() : policy,
        clipNorm == null ? 0 : clipNorm,
        truncation == null ? 0 : truncation,
        timeConstantRate == null ? 1 : timeConstantRate);
  }

  /** The clipping this config asks for, if any. */
  @JsonIgnore
  public Optional<GradientClipping> clipping() {
    return clipNorm == 0 ? Optional.empty() : Optional.of(new GradientClipping(clipNorm));
  }

  /** The learning-rate schedule for {@code stepsPerEpoch} optimizer steps per epoch. */
  public LearningRateSchedule schedule(long stepsPerEpoch) {
    return learningRatePolicy.schedule(epochs * stepsPerEpoch);
  }

  /**
   * Optimizer steps per epoch over {@code sequences} training sequences (the last may be short).
   */
  public long stepsPerEpoch(long sequences) {
    return (sequences + batchSize - 1) / batchSize;
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("training config could not be written as JSON", e);
    }
  }

  /**
   * Parses and validates a config; a malformed or invalid document is an IllegalArgumentException.
   */
  public static TrainingConfig fromJson(String json) {
    try {
      return JSON.readValue(json, TrainingConfig.class);
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof IllegalArgumentException iae) {
        throw iae;
      }
      throw new IllegalArgumentException("training config JSON: " + e.getOriginalMessage(), e);
    }
  }
}
