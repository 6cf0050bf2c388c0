package dev.rewind.trainer.optim;

/**
 * A learning-rate multiplier as a pure function of the step index, like PyTorch's {@code LambdaLR}:
 * the rate of step {@code t} (0 for the first step) is {@code baseRate * factor(t)}.
 */
public sealed interface LearningRateSchedule
    permits LearningRateSchedule.Constant,
        LearningRateSchedule.StepDecay,
        LearningRateSchedule.CosineWithWarmup {

  /**
   * Returns the factor for step {@code step}, in [0, 1] for every schedule here.
   *
   * @throws IllegalArgumentException if {@code step} is negative
   */
  double factor(long step);

  /** Returns the schedule whose factor is always 1. */
  static LearningRateSchedule constant() {
    return new Constant();
  }

  /** Factor 1 at every step. */
  record Constant() implements LearningRateSchedule {
    @Override
    public double factor(long step) {
      requireStep(step);
      return 1.0;
    }
  }

  /**
   * Factor {@code gamma^floor(step / stepSize)}, as {@code torch.optim.lr_scheduler.StepLR}.
   *
   * @param stepSize steps between two decays, at least 1
   * @param gamma decay per period, in (0, 1]
   */
  record StepDecay(long stepSize, double gamma) implements LearningRateSchedule {
    public StepDecay {
      if (stepSize < 1) {
        throw new IllegalArgumentException("stepSize: expected >= 1, got " + stepSize);
      }
      if (!(gamma > 0 && gamma <= 1)) {
        throw new IllegalArgumentException("gamma: expected a value in (0, 1], got " + gamma);
      }
    }

    @Override
    public double factor(long step) {
      requireStep(step);
      return Math.pow(gamma, (double) (step / stepSize));
    }
  }

  /**
   * Linear warm-up then cosine decay. For {@code t < warmupSteps} the factor is {@code (t + 1) /
   * warmupSteps}, so the first step already moves; then, with {@code p = min(1, (t - warmupSteps) /
   * (totalSteps - warmupSteps))}, it is {@code minFactor + (1 - minFactor) * (1 + cos(pi * p)) /
   * 2}, reaching {@code minFactor} at {@code totalSteps} and staying there.
   *
   * @param warmupSteps steps of linear warm-up, at least 0
   * @param totalSteps steps until the factor reaches {@code minFactor}, greater than {@code
   *     warmupSteps}
   * @param minFactor final factor, in [0, 1]
   */
  record CosineWithWarmup(long warmupSteps, long totalSteps, double minFactor)
      implements LearningRateSchedule {
    public CosineWithWarmup {
      if (warmupSteps < 0) {
        throw new IllegalArgumentException("warmupSteps: expected >= 0, got " + warmupSteps);
      }
      if (totalSteps <= warmupSteps) {
        throw new IllegalArgumentException(
            "totalSteps: expected > warmupSteps (" + warmupSteps + "), got " + totalSteps);
      }
      if (!(minFactor >= 0 && minFactor <= 1)) {
        throw new IllegalArgumentException(
            "minFactor: expected a value in [0, 1], got " + minFactor);
      }
    }

    @Override
    public double factor(long step) {
      requireStep(step);
      if (step < warmupSteps) {
        return (step + 1) / (double) warmupSteps;
      }
      double progress = Math.min(1.0, (step - warmupSteps) / (double) (totalSteps - warmupSteps));
      return minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
  }

  private static void requireStep(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step: expected >= 0, got " + step);
    }
  }
}
