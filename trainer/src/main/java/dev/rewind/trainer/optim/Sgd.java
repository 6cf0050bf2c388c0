package dev.rewind.trainer.optim;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
public final class Sgd implements Optimizer {

  static final String ALGORITHM = "sgd";
  static final String MOMENTUM_BUFFER = "momentum_buffer";

  private final SgdConfig config;
  private final LearningRateSchedule schedule;
  private final float[] velocity;
  private long step;

  /**
   * Creates a fresh optimizer for {@code size} parameters.
   *
   * @throws IllegalArgumentException if {@code size} is negative
   */
  public Sgd(SgdConfig config, int size, LearningRateSchedule schedule) {
    this.config = Objects.requireNonNull(config, "config");
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    if (size < 0) {
      throw new IllegalArgumentException("size: expected >= 0, got " + size);
    }
    this.velocity = new float[size];
  }

  @Override
  public int size() {
    return velocity.length;
  }

  @Override
  public long stepCount() {
    return step;
  }

  @Override
  public double nextLearningRate() {
    return config.learningRate() * schedule.factor(step);
  }

  @Override
  public void step(float[] params, float[] grad) {
    Checks.sameLength("params", params, velocity.length);
    Checks.sameLength("grad", grad, velocity.length);
    Checks.finite(grad);
    double lr = nextLearningRate();
    double momentum = config.momentum();
    double weightDecay = config.weightDecay();
    boolean nesterov = config.nesterov();
    for (int i = 0; i < params.length; i++) {
      double g = grad[i] + weightDecay * params[i];
      double d = g;
      if (momentum != 0) {
        float buf = (float) (momentum * velocity[i] + g);
        velocity[i] = buf;
        d = nesterov ? g + momentum * buf : buf;
      }
      params[i] = (float) (params[i] - lr * d);
    }
    step++;
  }

  @Override
  public OptimizerState exportState() {
    return new OptimizerState(ALGORITHM, step, Map.of(MOMENTUM_BUFFER, velocity));
  }

  @Override
  public void importState(OptimizerState state) {
    state.requireShape(ALGORITHM, Set.of(MOMENTUM_BUFFER), velocity.length);
    state.copyBufferInto(MOMENTUM_BUFFER, velocity);
    step = state.step();
  }
}
