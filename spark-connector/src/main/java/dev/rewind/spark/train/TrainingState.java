package dev.rewind.spark.train;

import dev.rewind.trainer.optim.OptimizerState;

/**
 * Where a fit stands after {@code globalStep} optimizer steps: the next step to run is {@code
 * stepInEpoch} of {@code epoch}. Shuffling is a function of (seed, epoch), so this plus the
 * parameters and optimizer state is all a resume needs.
 *
 * @param fingerprint {@link TrainingOptions#fingerprint()} of the fit that saved it
 */
public record TrainingState(
    String fingerprint,
    int epoch,
    int stepInEpoch,
    long globalStep,
    float[] parameters,
    OptimizerState optimizer) {}
