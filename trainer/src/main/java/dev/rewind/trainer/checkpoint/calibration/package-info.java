/**
 * Cost models measured on the running machine: {@link
 * dev.rewind.trainer.checkpoint.calibration.CostCalibrator} times the LIF network's steps and its
 * state transfers to the slow store and caches the result per model shape, batch and tier; {@link
 * dev.rewind.trainer.checkpoint.calibration.SystemCalibrator} does the same for any stepped system
 * (PETRA's maps). May use {@code schedule}, {@code checkpoint.runner} and {@code checkpoint.lif}.
 */
package dev.rewind.trainer.checkpoint.calibration;
