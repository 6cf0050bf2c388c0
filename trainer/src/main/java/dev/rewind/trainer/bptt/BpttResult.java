package dev.rewind.trainer.bptt;

/** Loss, logits, accuracy and the flat gradient (in the parameter layout) of one batch. */
public record BpttResult(LossResult result, float[] gradient) {
  public double loss() {
    return result.loss();
  }

  public double accuracy() {
    return result.accuracy();
  }

  public float[] logits() {
    return result.logits();
  }
}
