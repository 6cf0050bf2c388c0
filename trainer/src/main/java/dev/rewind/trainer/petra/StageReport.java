package dev.rewind.trainer.petra;

/**
 * What one stage did in a training run.
 *
 * @param blocks reversible blocks in the stage
 * @param backwards backward passes run
 * @param updates optimizer steps applied
 * @param peakActivationBytes largest number of bytes held at once for backward passes: input
 *     buffers and stored activations between a forward and its backward, plus the tapes of the
 *     block being differentiated (reconstruction probes excluded); with an in-stage schedule, the F
 *     and G tapes and saved states it keeps in memory
 * @param peakOffchipBytes largest number of bytes of F and G checkpoints an in-stage schedule kept
 *     off-chip for one block's backward (decoded size; 0 without one)
 * @param probes micro-batches whose reconstruction was measured
 * @param maxReconstructionError largest relative reconstruction error measured (0 if none)
 * @param meanReconstructionError mean relative reconstruction error measured (0 if none)
 */
public record StageReport(
    int stage,
    int blocks,
    long backwards,
    long updates,
    long peakActivationBytes,
    long peakOffchipBytes,
    long probes,
    double maxReconstructionError,
    double meanReconstructionError) {}
