package dev.rewind.trainer.bptt;

/**
 * The loss of a batch: mean softmax cross-entropy of the logits (mean over time of the readout),
 * the logits {@code [b * C + c]}, dL/dlogits in the same layout, predicted classes and how many
 * match the labels.
 */
public record LossResult(
    double loss, float[] logits, float[] logitGradient, int[] predictions, int correct) {

  public int batch() {
    return predictions.length;
  }

  /** Fraction of the batch predicted correctly. */
  public double accuracy() {
    return (double) correct / predictions.length;
  }
}
