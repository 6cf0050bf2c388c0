/**
 * Runs checkpoint schedules on real computations with off-chip storage.
 *
 * <ul>
 *   <li>{@link dev.rewind.trainer.checkpoint.SequenceTrainer}: the entry point: the exact gradient
 *       of a batch under a {@link dev.rewind.trainer.schedule.ScheduleSpec} and a memory budget,
 *       with a calibrated cost model and inputs streamed through the slow store.
 *   <li>{@link dev.rewind.trainer.checkpoint.ScheduleRunner}: the one executor: interprets any
 *       schedule's action stream against a {@link dev.rewind.trainer.checkpoint.SteppedSystem}
 *       (advance, taped advance, reverse, state copies and encoding), memory slots and a slow
 *       {@link dev.rewind.storage.BlobStore} (write-behind, read-ahead from a look-ahead over the
 *       actions); bit-identical to store-all; reports {@link
 *       dev.rewind.trainer.checkpoint.RunMetrics}. It can pause after the forward sweep.
 *   <li>{@link dev.rewind.trainer.checkpoint.CheckpointExecutor}: the runner on the LIF network
 *       (step kernels, chunked tape, loss head); PETRA's stages use the runner on their spiking
 *       sequence maps.
 *   <li>{@link dev.rewind.trainer.checkpoint.SpooledFrames}: input frames through the store in
 *       chunks (spike codec), so nothing proportional to T stays on the heap; {@link
 *       dev.rewind.trainer.checkpoint.LongMemoryStream} generates the long-memory task lazily.
 *   <li>{@link dev.rewind.trainer.checkpoint.CostCalibrator}: measures the planners' cost model on
 *       the running machine and caches it per model shape, batch and tier; {@link
 *       dev.rewind.trainer.checkpoint.SystemCalibrator} measures one for any stepped system.
 * </ul>
 */
package dev.rewind.trainer.checkpoint;
