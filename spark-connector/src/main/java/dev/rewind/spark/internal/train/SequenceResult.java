package dev.rewind.spark.internal.train;

/**
 * What one sequence (or batch) contributed: its summed loss, how many it predicted correctly among
 * how many it scored (its sequences under a sequence head, its labelled steps or targeted
 * components under a per-step one), its gradient summed over what it scored (not averaged), the
 * forward steps run, how many of them were recomputations, the time the training thread waited for
 * off-chip I/O, and the most bytes of tape and checkpoints it held at once.
 */
public record SequenceResult(
    double lossSum,
    int correct,
    int scored,
    float[] gradientSum,
    long forwardSteps,
    long recomputedSteps,
    long blockedIoNanos,
    long peakOnChipBytes) {

  /**
   * The gradient summed over the {@code scored} sequences (or steps) of a batch from their mean, in
   * float and in place, as every task scales it (so that the sums of all tasks add the same bits).
   */
  static float[] sumOfMean(float[] mean, int scored) {
    if (scored > 1) {
      for (int i = 0; i < mean.length; i++) {
        mean[i] *= scored;
      }
    }
    return mean;
  }
}
