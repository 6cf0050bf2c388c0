package dev.rewind.trainer.optim;

import java.util.List;
import java.util.Objects;

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
public final class Adam extends ElementwiseOptimizer {

  static final String ALGORITHM = "adam";
  static final String EXP_AVG = "exp_avg";
  static final String EXP_AVG_SQ = "exp_avg_sq";

  private final AdamConfig config;

  /**
   * Creates a fresh optimizer for {@code size} parameters.
   *
   * @throws IllegalArgumentException if {@code size} is negative
   */
  public Adam(AdamConfig config, int size, LearningRateSchedule schedule) {
    super(
        ALGORITHM,
        Objects.requireNonNull(config, "config").learningRate(),
        schedule,
        size,
        List.of(EXP_AVG, EXP_AVG_SQ));
    this.config = config;
  }

  @Override
  void update(float[] params, float[] grad, double lr, long k) {
    float[] firstMoment = buffer(EXP_AVG);
    float[] secondMoment = buffer(EXP_AVG_SQ);
    double beta1 = config.beta1();
    double beta2 = config.beta2();
    double eps = config.epsilon();
    double weightDecay = config.weightDecay();
    double stepSize = lr / (1 - Math.pow(beta1, k));
    double bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, k));
    float[] factors = rateFactors();
    for (int i = 0; i < params.length; i++) {
      double entryStep = factors == null ? stepSize : stepSize * factors[i];
      double g = grad[i] + weightDecay * params[i];
      float m = (float) (beta1 * firstMoment[i] + (1 - beta1) * g);
      float v = (float) (beta2 * secondMoment[i] + (1 - beta2) * g * g);
      firstMoment[i] = m;
      secondMoment[i] = v;
      params[i] = (float) (params[i] - entryStep * m / (Math.sqrt(v) / bias2Sqrt + eps));
    }
  }
}
