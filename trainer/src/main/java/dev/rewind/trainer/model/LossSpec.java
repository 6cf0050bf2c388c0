package dev.rewind.trainer.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * Which readout steps make the logits of a sequence (MODEL_SPEC v2, "Loss heads"): {@code mean},
 * v1's default, averages u_t over all T steps; {@code last:K} averages the last K steps (K = 1 is
 * the last step alone). The loss is softmax cross-entropy of those logits either way. Written and
 * read as that text, in JSON too.
 */
public record LossSpec(int lastSteps) {
  /** v1's head: the mean over every step. */
  public static final LossSpec MEAN = new LossSpec(0);

  private static final Pattern LAST = Pattern.compile("last:[1-9][0-9]{0,8}");

  public LossSpec {
    if (lastSteps < 0) {
      throw new IllegalArgumentException(
          "loss last:K: expected K >= 1 (or the mean head), got " + lastSteps);
    }
  }

  /** The head that {@code text} names: {@code mean} or {@code last:K} with K >= 1. */
  @JsonCreator
  public static LossSpec parse(String text) {
    if ("mean".equals(text)) {
      return MEAN;
    }
    if (text != null && LAST.matcher(text).matches()) {
      return new LossSpec(Integer.parseInt(text.substring("last:".length())));
    }
    throw new IllegalArgumentException(
        "loss: expected mean or last:K with a whole K >= 1, got '" + text + "'");
  }

  /** Whether this is v1's mean-over-time head. */
  public boolean isMean() {
    return lastSteps == 0;
  }

  /**
   * The number of steps averaged into the logits of a sequence of {@code totalSteps} steps: all of
   * them, or K, which must not exceed them.
   */
  public int window(int totalSteps) {
    if (isMean()) {
      return totalSteps;
    }
    if (lastSteps > totalSteps) {
      throw new IllegalArgumentException(
          "loss " + this + ": expected K <= the sequence's " + totalSteps + " steps");
    }
    return lastSteps;
  }

  @JsonValue
  @Override
  public String toString() {
    return isMean() ? "mean" : "last:" + lastSteps;
  }
}
