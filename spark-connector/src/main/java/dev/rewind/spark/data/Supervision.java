package dev.rewind.spark.data;

import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.LossSpec;

/** What the rows must carry besides their frames: what the model's loss head reads, or nothing. */
public enum Supervision {
  /** Prediction: frames only. */
  NONE,
  /** A sequence head (mean, last:K): one {@code int} label per sequence. */
  LABEL,
  /** The per-step head: an {@code array<int>} with a label per step, -1 where none. */
  STEP_LABELS,
  /** The regression head: an {@code array<array<float>>} with a target per step, NaN where none. */
  STEP_TARGETS;

  /** What training under {@code loss} reads. */
  public static Supervision of(LossSpec loss) {
    return loss.regression() ? STEP_TARGETS : loss.perStep() ? STEP_LABELS : LABEL;
  }

  /** What the sequences of {@code source} carry: per-step labels, targets, or a label each. */
  public static Supervision of(FrameSource source) {
    return source.hasStepLabels() ? STEP_LABELS : source.targetWidth() > 0 ? STEP_TARGETS : LABEL;
  }
}
