package dev.rewind.spark.train;

/**
 * What one sequence (or batch) contributed: its summed loss, how many it predicted correctly, its
 * gradient summed over its sequences (not averaged), the forward steps run and how many of them
 * were recomputations.
 */
public record SequenceResult(
    double lossSum, int correct, float[] gradientSum, long forwardSteps, long recomputedSteps) {}
