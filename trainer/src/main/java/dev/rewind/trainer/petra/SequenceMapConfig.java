package dev.rewind.trainer.petra;

import dev.rewind.trainer.model.Surrogate;
import java.util.Objects;

/**
 * Shape and constants of a {@link SpikingSequenceMap}: a LIF layer of {@code hidden} neurons
 * (MODEL_SPEC.md, optionally recurrent) on real-valued inputs of width {@code inputWidth}, then a
 * linear map to {@code outputWidth} real outputs per step.
 *
 * @param beta membrane decay, in (0, 1)
 * @param theta firing threshold, finite and > 0
 */
record SequenceMapConfig(
    int inputWidth,
    int hidden,
    int outputWidth,
    boolean recurrent,
    double beta,
    double theta,
    Surrogate surrogate) {

  public SequenceMapConfig {
    if (inputWidth <= 0 || hidden <= 0 || outputWidth <= 0) {
      throw new IllegalArgumentException(
          "inputWidth, hidden, outputWidth: expected > 0, got "
              + inputWidth
              + ", "
              + hidden
              + ", "
              + outputWidth);
    }
    if (!(beta > 0 && beta < 1)) {
      throw new IllegalArgumentException("beta: expected in (0, 1), got " + beta);
    }
    if (!(theta > 0) || Double.isInfinite(theta)) {
      throw new IllegalArgumentException("theta: expected finite and > 0, got " + theta);
    }
    Objects.requireNonNull(surrogate, "surrogate");
  }
}
