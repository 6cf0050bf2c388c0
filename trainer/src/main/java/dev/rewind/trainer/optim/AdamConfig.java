package dev.rewind.trainer.optim;

/**
 * Adam settings, as {@code torch.optim.Adam} (not AdamW: weight decay is an L2 term added to the
 * gradient; amsgrad off).
 *
 * @param learningRate base learning rate, finite and {@code > 0}
 * @param beta1 decay of the first moment, in [0, 1)
 * @param beta2 decay of the second moment, in [0, 1)
 * @param epsilon term added to the denominator, finite and {@code > 0}
 * @param weightDecay L2 penalty added to the gradient, finite and {@code >= 0}
 */
public record AdamConfig(
    double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
    implements OptimizerConfig {

  public AdamConfig {
    OptimizerChecks.positiveFinite("learningRate", learningRate);
    OptimizerChecks.unitInterval("beta1", beta1);
    OptimizerChecks.unitInterval("beta2", beta2);
    OptimizerChecks.positiveFinite("epsilon", epsilon);
    OptimizerChecks.nonNegativeFinite("weightDecay", weightDecay);
  }

  /** PyTorch's defaults with the given learning rate: betas (0.9, 0.999), eps 1e-8, no decay. */
  public static AdamConfig defaults(double learningRate) {
    return new AdamConfig(learningRate, 0.9, 0.999, 1e-8, 0);
  }

  @Override
  public Optimizer create(int size, LearningRateSchedule schedule) {
    return new Adam(this, size, schedule);
  }
}
