package dev.rewind.trainer.optim;

/**
 * Stochastic gradient descent settings, as {@code torch.optim.SGD} with {@code dampening = 0}.
 *
 * @param learningRate base learning rate, finite and {@code > 0}
 * @param momentum momentum factor in [0, 1); 0 disables the velocity buffer
 * @param nesterov whether to use Nesterov momentum; requires {@code momentum > 0}
 * @param weightDecay L2 penalty added to the gradient, finite and {@code >= 0}
 */
public record SgdConfig(double learningRate, double momentum, boolean nesterov, double weightDecay)
    implements OptimizerConfig {

  public SgdConfig {
    OptimizerChecks.positiveFinite("learningRate", learningRate);
    OptimizerChecks.unitInterval("momentum", momentum);
    OptimizerChecks.nonNegativeFinite("weightDecay", weightDecay);
    if (nesterov && momentum == 0) {
      throw new IllegalArgumentException(
          "momentum: expected > 0 when nesterov is true, got " + momentum);
    }
  }

  /** Plain SGD: no momentum, no weight decay. */
  public static SgdConfig plain(double learningRate) {
    return new SgdConfig(learningRate, 0, false, 0);
  }

  @Override
  public Optimizer create(int size, LearningRateSchedule schedule) {
    return new Sgd(this, size, schedule);
  }
}
