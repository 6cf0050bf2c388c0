package dev.rewind.trainer.optim;

/**
 * Rescales a gradient whose global L2 norm exceeds {@code maxNorm}, as {@code
 * torch.nn.utils.clip_grad_norm_}: with {@code n} the norm, the gradient is multiplied by {@code
 * maxNorm / (n + 1e-6)} when that factor is below 1 and left unchanged otherwise. The norm is
 * accumulated in double.
 *
 * @param maxNorm the largest norm left unchanged, finite and {@code > 0}
 */
public record GradientClipping(double maxNorm) {

  /** PyTorch's guard against division by a zero norm. */
  private static final double EPSILON = 1e-6;

  public GradientClipping {
    OptimizerChecks.positiveFinite("maxNorm", maxNorm);
  }

  /**
   * Clips {@code grad} in place and returns its norm before clipping.
   *
   * @throws IllegalArgumentException if {@code grad} holds a non-finite value (naming its index);
   *     {@code grad} is unchanged then
   */
  public double clip(float[] grad) {
    double norm = norm(grad);
    double scale = maxNorm / (norm + EPSILON);
    if (scale < 1) {
      for (int i = 0; i < grad.length; i++) {
        grad[i] = (float) (grad[i] * scale);
      }
    }
    return norm;
  }

  /**
   * Returns the L2 norm of {@code grad}.
   *
   * @throws IllegalArgumentException if {@code grad} holds a non-finite value, naming its index
   */
  public static double norm(float[] grad) {
    OptimizerChecks.finite(grad);
    double sum = 0;
    for (float g : grad) {
      sum += (double) g * g;
    }
    return Math.sqrt(sum);
  }
}
