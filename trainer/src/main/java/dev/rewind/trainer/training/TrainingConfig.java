package dev.rewind.trainer.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 */
public record TrainingConfig(
    int epochs,
    int batchSize,
    OptimizerConfig optimizer,
    LearningRatePolicy learningRatePolicy,
    double clipNorm,
    int truncation) {
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
  }

  @JsonCreator
  static TrainingConfig create(
      @JsonProperty("epochs") Integer epochs,
      @JsonProperty("batchSize") Integer batchSize,
      @JsonProperty("optimizer") OptimizerConfig optimizer,
      @JsonProperty("learningRatePolicy") LearningRatePolicy policy,
      @JsonProperty("clipNorm") Double clipNorm,
      @JsonProperty("truncation") Integer truncation) {
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
        truncation == null ? 0 : truncation);
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
