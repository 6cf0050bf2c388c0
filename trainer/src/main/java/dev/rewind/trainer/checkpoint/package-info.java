/**
 * Runs checkpoint schedules on the real network with off-chip storage.
 *
 * <ul>
 *   <li>{@link dev.rewind.trainer.checkpoint.SequenceTrainer}: the entry point: the exact gradient
 *       of a batch under a {@link dev.rewind.trainer.schedule.ScheduleSpec} and a memory budget,
 *       with a calibrated cost model and inputs streamed through the slow store.
 *   <li>{@link dev.rewind.trainer.checkpoint.CheckpointExecutor}: interprets any schedule's action
 *       stream against the step kernels, memory slots, a chunked tape and a slow {@link
 *       dev.rewind.storage.BlobStore} (write-behind, read-ahead from a look-ahead over the
 *       actions); bit-identical to store-all BPTT; reports {@link
 *       dev.rewind.trainer.checkpoint.RunMetrics}.
 *   <li>{@link dev.rewind.trainer.checkpoint.SpooledFrames}: input frames through the store in
 *       chunks (spike codec), so nothing proportional to T stays on the heap; {@link
 *       dev.rewind.trainer.checkpoint.LongMemoryStream} generates the long-memory task lazily.
 *   <li>{@link dev.rewind.trainer.checkpoint.CostCalibrator}: measures the planners' cost model on
 *       the running machine and caches it per model shape, batch and tier.
 * </ul>
 */
package dev.rewind.trainer.checkpoint;
