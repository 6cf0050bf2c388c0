package dev.rewind.trainer.training;

import java.io.Serializable;

/**
 * What one optimizer step did, on one JVM or on Spark. Epoch and step count from 0.
 *
 * @param sequences sequences in the step's mini-batch
 * @param loss mean loss of the step's mini-batch (before the update)
 * @param accuracy fraction of the mini-batch predicted correctly (before the update)
 * @param gradientNorm L2 norm of the mean gradient before clipping
 * @param offChipBytesWritten bytes written to off-chip stores (all tasks, on Spark)
 * @param recomputationRatio recomputed forward steps / forward steps (0 for store-all BPTT)
 * @param ioBlockedMillis time blocked on off-chip I/O (summed over tasks, on Spark)
 * @param peakOnChipBytes most heap bytes of tapes and checkpoints held at once by one gradient
 *     computation (the maximum over tasks, on Spark)
 * @param stepMillis wall time of the step, update included
 * @param driverMillis time spent merging task results and stepping the optimizer (the update alone,
 *     on one JVM)
 */
public record StepMetrics(
    int epoch,
    int step,
    long globalStep,
    long sequences,
    double loss,
    double accuracy,
    double gradientNorm,
    long offChipBytesWritten,
    double recomputationRatio,
    double ioBlockedMillis,
    long peakOnChipBytes,
    double stepMillis,
    double driverMillis)
    implements Serializable {}
