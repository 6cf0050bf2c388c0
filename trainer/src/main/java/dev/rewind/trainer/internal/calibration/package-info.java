/**
 * Cost models measured on the running machine: {@link
 * dev.rewind.trainer.internal.calibration.CostCalibrator} times the LIF network's steps and its
 * state transfers to the slow store and caches the result per model shape, batch and tier; {@link
 * dev.rewind.trainer.internal.calibration.SystemCalibrator} does the same for any stepped system
 * (PETRA's maps). Internal: public for {@code checkpoint}, {@code petra} and the connector, not
 * API. May use {@code schedule}, {@code internal.runner} and {@code internal.lif}.
 */
package dev.rewind.trainer.internal.calibration;
