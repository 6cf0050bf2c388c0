package dev.rewind.trainer.training;

/**
 * What one epoch achieved: mean training loss and accuracy over its batches (measured during the
 * steps, before each update), and loss and accuracy on the held-out batches after the epoch.
 */
public record EpochResult(
    int epoch,
    double trainLoss,
    double trainAccuracy,
    double testLoss,
    double testAccuracy,
    double gradientNorm,
    double seconds) {}
