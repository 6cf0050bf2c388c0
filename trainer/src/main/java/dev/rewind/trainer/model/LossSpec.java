package dev.rewind.trainer.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * The loss head (MODEL_SPEC v2, "Loss heads"). {@code mean}, v1's default, takes the logits of a
 * sequence as u_t averaged over all T steps; {@code last:K} averages the last K steps (K = 1 is the
 * last step alone); the loss is softmax cross-entropy of those logits against the sequence's label.
 * {@code per-step} puts a class label y_t (or -1, ignored) at every step: loss = mean over all
 * labelled (b, t) of cross-entropy(u_t, y_t). {@code regression} puts a real target vector z_t in
 * R^C at every step (NaN: no target in that component): loss = mean over all targeted (b, t, c) of
 * (u_t[c] - z_t[c])^2 / 2. Written and read as that text, in JSON too.
 */
public record LossSpec(Kind kind, int lastSteps) {
  /** The kinds of head. */
  public enum Kind {
    MEAN,
    LAST,
    PER_STEP,
    REGRESSION
  }

  /** v1's head: the mean over every step. */
  public static final LossSpec MEAN = new LossSpec(Kind.MEAN, 0);

  /** Cross-entropy at every labelled step. */
  public static final LossSpec PER_STEP = new LossSpec(Kind.PER_STEP, 0);

  /** Squared error against a target vector at every targeted step. */
  public static final LossSpec REGRESSION = new LossSpec(Kind.REGRESSION, 0);

  /** The per-step label of a step without one. */
  public static final int IGNORE = -1;

  private static final Pattern LAST = Pattern.compile("last:[1-9][0-9]{0,8}");

  public LossSpec {
    if (kind == null) {
      throw new IllegalArgumentException(
          "loss: expected mean, last:K, per-step or regression, got null");
    }
    if ((kind == Kind.LAST) != (lastSteps > 0) || lastSteps < 0) {
      throw new IllegalArgumentException(
          "loss last:K: expected K >= 1 exactly for last:K, got " + kind + " with K " + lastSteps);
    }
  }

  /** The head {@code last:K}. */
  public LossSpec(int lastSteps) {
    this(Kind.LAST, lastSteps);
  }

  /**
   * The head that {@code text} names: {@code mean}, {@code last:K} with K >= 1, {@code per-step} or
   * {@code regression}.
   */
  @JsonCreator
  public static LossSpec parse(String text) {
    if ("mean".equals(text)) {
      return MEAN;
    }
    if ("per-step".equals(text)) {
      return PER_STEP;
    }
    if ("regression".equals(text)) {
      return REGRESSION;
    }
    if (text != null && LAST.matcher(text).matches()) {
      return new LossSpec(Integer.parseInt(text.substring("last:".length())));
    }
    throw new IllegalArgumentException(
        "loss: expected mean, last:K with a whole K >= 1, per-step or regression, got '"
            + text
            + "'");
  }

  /** Whether this is v1's mean-over-time head. */
  public boolean isMean() {
    return kind == Kind.MEAN;
  }

  /**
   * Whether the head has a loss term at every step (a label or a target vector) rather than one per
   * sequence: per-step or regression.
   */
  public boolean perStep() {
    return kind == Kind.PER_STEP || kind == Kind.REGRESSION;
  }

  /** Whether the head is regression: real targets, squared error, no classes to predict. */
  public boolean regression() {
    return kind == Kind.REGRESSION;
  }

  /**
   * The number of steps averaged into the logits of a sequence of {@code totalSteps} steps: all of
   * them, or K, which must not exceed them. A per-step or regression head has none: every u_t is
   * scored.
   */
  public int window(int totalSteps) {
    return switch (kind) {
      case MEAN -> totalSteps;
      case LAST -> {
        if (lastSteps > totalSteps) {
          throw new IllegalArgumentException(
              "loss " + this + ": expected K <= the sequence's " + totalSteps + " steps");
        }
        yield lastSteps;
      }
      case PER_STEP, REGRESSION ->
          throw new IllegalStateException("loss " + this + ": no window of logits");
    };
  }

  @JsonValue
  @Override
  public String toString() {
    return switch (kind) {
      case MEAN -> "mean";
      case LAST -> "last:" + lastSteps;
      case PER_STEP -> "per-step";
      case REGRESSION -> "regression";
    };
  }
}
