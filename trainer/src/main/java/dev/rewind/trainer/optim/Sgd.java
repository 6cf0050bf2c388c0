package dev.rewind.trainer.optim;

import java.util.List;
import java.util.Objects;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay. With
 * {@code lr = learningRate * schedule.factor(t)}, one step is, per entry:
 *
 * <pre>
 *   g = grad + weightDecay * param
 *   buf = momentum * buf + g                       (buf starts at 0; skipped if momentum = 0)
 *   d = nesterov ? g + momentum * buf : buf        (d = g if momentum = 0)
 *   param = param - lr * d
 * </pre>
 *
 * which is {@code torch.optim.SGD} with {@code dampening = 0}. Each entry is computed in double and
 * rounded once to float when stored. The state is one buffer, {@code "momentum_buffer"}.
 */
final class Sgd extends ElementwiseOptimizer {

  static final String ALGORITHM = "sgd";
  static final String MOMENTUM_BUFFER = "momentum_buffer";

  private final SgdConfig config;

  /**
   * Creates a fresh optimizer for {@code size} parameters.
   *
   * @throws IllegalArgumentException if {@code size} is negative
   */
  public Sgd(SgdConfig config, int size, LearningRateSchedule schedule) {
    super(
        ALGORITHM,
        Objects.requireNonNull(config, "config").learningRate(),
        schedule,
        size,
        List.of(MOMENTUM_BUFFER));
    this.config = config;
  }

  @Override
  void update(float[] params, float[] grad, double lr, long k) {
    float[] velocity = buffer(MOMENTUM_BUFFER);
    double momentum = config.momentum();
    double weightDecay = config.weightDecay();
    boolean nesterov = config.nesterov();
    float[] factors = rateFactors();
    for (int i = 0; i < params.length; i++) {
      double g = grad[i] + weightDecay * params[i];
      double d = g;
      if (momentum != 0) {
        float buf = (float) (momentum * velocity[i] + g);
        velocity[i] = buf;
        d = nesterov ? g + momentum * buf : buf;
      }
      params[i] = (float) (params[i] - (factors == null ? lr : lr * factors[i]) * d);
    }
  }
}
