/**
 * The one executor of checkpoint schedules, for any computation that steps a state.
 *
 * <ul>
 *   <li>{@link dev.rewind.trainer.internal.runner.ScheduleRunner}: interprets a schedule's action
 *       stream against a {@link dev.rewind.trainer.internal.runner.SteppedSystem} (advance, taped
 *       advance, reverse, state copies and encoding) with memory slots and a slow {@link
 *       dev.rewind.storage.BlobStore}, whose loads it announces ahead ({@code prefetch}: the
 *       store's write-behind tier is the one async layer); bit-identical to store-all; can pause
 *       after the forward sweep; reports {@link dev.rewind.trainer.schedule.RunMetrics}.
 *   <li>{@link dev.rewind.trainer.internal.runner.ExecutorSettings}: look-ahead, read-ahead and
 *       tape chunks: memory and overlap, never results.
 * </ul>
 *
 * <p>Internal: public for {@code checkpoint}, {@code petra}, {@code data} and the other internal
 * packages, not API. Knows schedules, systems and stores, not networks: may use {@code schedule}
 * and storage only.
 */
package dev.rewind.trainer.internal.runner;
