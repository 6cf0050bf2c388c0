package dev.rewind.spark.train;

/**
 * What one sequence (or batch) contributed: its summed loss, how many it predicted correctly, its
 * gradient summed over its sequences (not averaged), the forward steps run, how many of them were
 * recomputations, and the time the training thread waited for off-chip I/O.
 */
public record SequenceResult(
    double lossSum,
    int correct,
    float[] gradientSum,
    long forwardSteps,
    long recomputedSteps,
    long blockedIoNanos) {}
