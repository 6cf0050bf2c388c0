package dev.rewind.trainer.bptt;

/**
 * The loss of a batch. For a sequence head (mean or last:K): mean softmax cross-entropy of the
 * logits, the logits {@code [b * C + c]}, dL/dlogits in the same layout, predicted classes and how
 * many match the labels. For the per-step head: mean cross-entropy over the labelled (b, t), no
 * logits or predictions (empty arrays), and how many labelled steps were predicted right.
 *
 * @param scored how many predictions {@code correct} counts among: the sequences of a sequence
 *     head, the labelled steps of a per-step head
 */
public record LossResult(
    double loss,
    float[] logits,
    float[] logitGradient,
    int[] predictions,
    int correct,
    int scored) {

  /** A sequence head's result: one prediction per sequence. */
  public LossResult(
      double loss, float[] logits, float[] logitGradient, int[] predictions, int correct) {
    this(loss, logits, logitGradient, predictions, correct, predictions.length);
  }

  /** The sequences of a sequence head's batch. */
  public int batch() {
    return predictions.length;
  }

  /** Fraction of the scored predictions that are right (0 when none were scored). */
  public double accuracy() {
    return scored == 0 ? 0 : (double) correct / scored;
  }
}
