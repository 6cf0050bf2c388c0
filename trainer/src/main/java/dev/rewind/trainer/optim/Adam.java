package dev.rewind.trainer.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Adam, matching {@code torch.optim.Adam} (amsgrad off, L2 weight decay). Step {@code k = t + 1} (t
 * = steps taken before) with {@code lr = learningRate * schedule.factor(t)} is, per entry:
 *
 * <pre>
 *   g = grad + weightDecay * param
 *   m = beta1 * m + (1 - beta1) * g                 (m, v start at 0)
 *   v = beta2 * v + (1 - beta2) * g * g
 *   param = param - (lr / (1 - beta1^k)) * m / (sqrt(v) / sqrt(1 - beta2^k) + epsilon)
 * </pre>
 *
 * Each entry is computed in double; m and v are rounded to float when stored, and the update uses
 * the stored values, as PyTorch's float32 state does. The state buffers are {@code "exp_avg"} (m)
 * and {@code "exp_avg_sq"} (v).
 */
public final class Adam implements Optimizer {

  static final String ALGORITHM = "adam";
  static final String EXP_AVG = "exp_avg";
  static final String EXP_AVG_SQ = "exp_avg_sq";

  private final AdamConfig config;
  private final LearningRateSchedule schedule;
  private final float[] firstMoment;
  private final float[] secondMoment;
  private long step;

  /**
   * Creates a fresh optimizer for {@code size} parameters.
   *
   * @throws IllegalArgumentException if {@code size} is negative
   */
  public Adam(AdamConfig config, int size, LearningRateSchedule schedule) {
    this.config = Objects.requireNonNull(config, "config");
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    if (size < 0) {
      throw new IllegalArgumentException("size: expected >= 0, got " + size);
    }
    this.firstMoment = new float[size];
    this.secondMoment = new float[size];
  }

  @Override
  public int size() {
    return firstMoment.length;
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
    Checks.sameLength("params", params, firstMoment.length);
    Checks.sameLength("grad", grad, firstMoment.length);
    Checks.finite(grad);
    double beta1 = config.beta1();
    double beta2 = config.beta2();
    double eps = config.epsilon();
    double weightDecay = config.weightDecay();
    long k = step + 1;
    double stepSize = nextLearningRate() / (1 - Math.pow(beta1, k));
    double bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, k));
    for (int i = 0; i < params.length; i++) {
      double g = grad[i] + weightDecay * params[i];
      float m = (float) (beta1 * firstMoment[i] + (1 - beta1) * g);
      float v = (float) (beta2 * secondMoment[i] + (1 - beta2) * g * g);
      firstMoment[i] = m;
      secondMoment[i] = v;
      params[i] = (float) (params[i] - stepSize * m / (Math.sqrt(v) / bias2Sqrt + eps));
    }
    step = k;
  }

  @Override
  public OptimizerState exportState() {
    Map<String, float[]> buffers = new LinkedHashMap<>();
    buffers.put(EXP_AVG, firstMoment);
    buffers.put(EXP_AVG_SQ, secondMoment);
    return new OptimizerState(ALGORITHM, step, buffers);
  }

  @Override
  public void importState(OptimizerState state) {
    state.requireShape(ALGORITHM, Set.of(EXP_AVG, EXP_AVG_SQ), firstMoment.length);
    state.copyBufferInto(EXP_AVG, firstMoment);
    state.copyBufferInto(EXP_AVG_SQ, secondMoment);
    step = state.step();
  }
}
