package dev.rewind.trainer.checkpoint;

import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.schedule.RunMetrics;

/**
 * The loss, logits, accuracy and gradient of one batch, computed by a checkpoint schedule (the same
 * bits as {@link dev.rewind.trainer.bptt.StoreAllBptt}), and what computing it cost.
 */
public record CheckpointResult(BpttResult bptt, RunMetrics metrics) {
  public double loss() {
    return bptt.loss();
  }

  public float[] gradient() {
    return bptt.gradient();
  }

  public float[] logits() {
    return bptt.logits();
  }

  public double accuracy() {
    return bptt.accuracy();
  }
}
