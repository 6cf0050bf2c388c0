/**
 * The exact gradient of a batch under a checkpoint schedule and a memory budget: the facade over
 * the planners, the runner, the LIF binding and the calibration.
 *
 * <ul>
 *   <li>{@link dev.rewind.trainer.checkpoint.SequenceTrainer}: the entry point: plans a {@link
 *       dev.rewind.trainer.schedule.ScheduleSpec} under a budget with a calibrated cost model,
 *       streams long inputs through the slow store, and returns a {@link
 *       dev.rewind.trainer.checkpoint.CheckpointResult}.
 *   <li>{@link dev.rewind.trainer.checkpoint.TrainerSettings}: its settings; plans are cached per
 *       shape.
 * </ul>
 *
 * <p>Its machinery lives in internal packages, one per concern: {@code internal.runner} (the
 * generic schedule executor), {@code internal.lif} (the LIF network as a stepped system), {@code
 * internal.calibration} (measured cost models). What a run cost is {@link
 * dev.rewind.trainer.schedule.RunMetrics}. May use every trainer package but {@code training} and
 * {@code petra}; no Spark.
 */
package dev.rewind.trainer.checkpoint;
