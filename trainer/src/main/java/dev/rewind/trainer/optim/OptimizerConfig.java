package dev.rewind.trainer.optim;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A validated optimizer configuration that creates the matching {@link Optimizer}. JSON: {@code
 * {"kind":"adam","learningRate":0.002,"beta1":0.9,...}} or {@code {"kind":"sgd",...}}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = AdamConfig.class, name = "adam"),
  @JsonSubTypes.Type(value = SgdConfig.class, name = "sgd")
})
public sealed interface OptimizerConfig permits SgdConfig, AdamConfig {

  /** Returns the base learning rate, before the schedule's factor. */
  double learningRate();

  /**
   * Creates a fresh optimizer (zero state, step 0) for a parameter vector of {@code size} entries.
   *
   * @throws IllegalArgumentException if {@code size} is negative
   */
  Optimizer create(int size, LearningRateSchedule schedule);
}
