package dev.rewind.spark.internal.train;

/**
 * What one sequence (or batch) contributed: its summed loss, how many it predicted correctly, its
 * gradient summed over its sequences (not averaged), the forward steps run, how many of them were
 * recomputations, the time the training thread waited for off-chip I/O, and the most bytes of tape
 * and checkpoints it held at once.
 */
public record SequenceResult(
    double lossSum,
    int correct,
    float[] gradientSum,
    long forwardSteps,
    long recomputedSteps,
    long blockedIoNanos,
    long peakOnChipBytes) {

  /**
   * The gradient summed over a batch of {@code batch} sequences from their mean, in float and in
   * place, as every task scales it (so that the sums of all tasks add the same bits).
   */
  static float[] sumOfMean(float[] mean, int batch) {
    if (batch > 1) {
      for (int i = 0; i < mean.length; i++) {
        mean[i] *= batch;
      }
    }
    return mean;
  }
}
