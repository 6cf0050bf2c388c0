package dev.rewind.trainer.training;

import dev.rewind.trainer.model.ParameterLayout;
import java.util.Locale;

/**
 * The check both engines make before an optimizer step: a gradient with a NaN or infinite entry
 * means the backward overflowed float (exploding gradients do that), and the step fails naming the
 * epoch, the step, the first such entry and the cure, before any parameter changes.
 */
public final class GradientOverflow {
  private GradientOverflow() {}

  /**
   * Throws ArithmeticException if {@code gradient} has an entry that is not finite; {@code epoch}
   * and {@code step} are counted from 1, {@code loss} is the step's.
   */
  public static void check(
      ParameterLayout layout, float[] gradient, int epoch, int step, double loss) {
    for (int i = 0; i < gradient.length; i++) {
      if (!Float.isFinite(gradient[i])) {
        throw new ArithmeticException(
            String.format(
                Locale.ROOT,
                "epoch %d, step %d: expected a finite gradient, got %s at %s (loss %.6g); the"
                    + " backward overflowed float, as exploding gradients do: clip them (--clip,"
                    + " the clipping of the training config) or lower the learning rate. The"
                    + " parameters are those of the step before",
                epoch,
                step,
                gradient[i],
                layout.locate(i),
                loss));
      }
    }
  }
}
