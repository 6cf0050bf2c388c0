package dev.rewind.spark.metrics;

import java.io.Serializable;

/**
 * What one distributed step did.
 *
 * @param loss mean loss of the step's mini-batch (before the update)
 * @param accuracy fraction of the mini-batch predicted correctly (before the update)
 * @param offChipBytesWritten bytes all tasks wrote to their off-chip stores
 * @param recomputationRatio recomputed forward steps / forward steps (0 for store-all BPTT)
 * @param ioBlockedMillis time tasks spent blocked on off-chip I/O, summed over tasks
 * @param stepMillis wall time of the step on the driver, update included
 * @param driverMillis driver time spent merging task results and stepping the optimizer
 */
public record StepMetrics(
    int epoch,
    int step,
    long globalStep,
    long sequences,
    double loss,
    double accuracy,
    long offChipBytesWritten,
    double recomputationRatio,
    double ioBlockedMillis,
    double stepMillis,
    double driverMillis)
    implements Serializable {}
