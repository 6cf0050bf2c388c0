package dev.rewind.trainer.optim;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * How the learning rate moves over a whole training run, independent of its length: the {@link
 * LearningRateSchedule} is fixed once the number of steps is known ({@link #schedule(long)}). JSON:
 * {@code {"kind":"constant"}} or {@code {"kind":"cosine","warmupSteps":20,"minFactor":0.0}}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = LearningRatePolicy.Constant.class, name = "constant"),
  @JsonSubTypes.Type(value = LearningRatePolicy.Cosine.class, name = "cosine")
})
public sealed interface LearningRatePolicy
    permits LearningRatePolicy.Constant, LearningRatePolicy.Cosine {

  /** The schedule for a run of {@code totalSteps} optimizer steps. */
  LearningRateSchedule schedule(long totalSteps);

  /** The base rate at every step. */
  record Constant() implements LearningRatePolicy {
    @Override
    public LearningRateSchedule schedule(long totalSteps) {
      return LearningRateSchedule.constant();
    }
  }

  /**
   * Linear warm-up over {@code warmupSteps}, then cosine decay to {@code minFactor} at the last
   * step ({@link LearningRateSchedule.CosineWithWarmup}).
   */
  record Cosine(long warmupSteps, double minFactor) implements LearningRatePolicy {
    public Cosine {
      if (warmupSteps < 0) {
        throw new IllegalArgumentException("warmupSteps: expected >= 0, got " + warmupSteps);
      }
      if (!(minFactor >= 0 && minFactor <= 1)) {
        throw new IllegalArgumentException("minFactor: expected in [0, 1], got " + minFactor);
      }
    }

    @Override
    public LearningRateSchedule schedule(long totalSteps) {
      if (totalSteps <= warmupSteps) {
        throw new IllegalArgumentException(
            "warmupSteps: expected fewer than the run's "
                + totalSteps
                + " optimizer steps, got "
                + warmupSteps);
      }
      return new LearningRateSchedule.CosineWithWarmup(warmupSteps, totalSteps, minFactor);
    }
  }
}
