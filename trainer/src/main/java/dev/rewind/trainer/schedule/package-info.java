/**
 * Checkpoint schedule planners: pure functions from (T, memory budget, {@link
 * dev.rewind.trainer.schedule.CostModel}) to a lazily generated stream of {@link
 * dev.rewind.trainer.schedule.Action}s. Nothing here knows tensors, models or stores.
 *
 * <p>Planners: {@link dev.rewind.trainer.schedule.StoreAllSchedule} (the reference), {@link
 * dev.rewind.trainer.schedule.PeriodicSchedule} (periodic in memory, or remote to the slow tier),
 * {@link dev.rewind.trainer.schedule.RevolveSchedule} (binomial), {@link
 * dev.rewind.trainer.schedule.DoubleCheckpointSchedule}, {@link
 * dev.rewind.trainer.schedule.TwoLevelSchedule} (optimal over memory and slow tier for the cost
 * model) and {@link dev.rewind.trainer.schedule.AutoPlanner} (fastest fitting a byte budget).
 * {@link dev.rewind.trainer.schedule.ScheduleSpec} parses the command-line names; {@link
 * dev.rewind.trainer.schedule.ScheduleSimulator} replays any stream symbolically, checking the
 * rules of {@link dev.rewind.trainer.schedule.Action} and counting recomputation, tier traffic,
 * peak memory and predicted time.
 *
 * <p>An executor iterates {@link dev.rewind.trainer.schedule.Schedule#actions()} once per sequence
 * (or segment) and dispatches each action on its type; it may read ahead in the stream to prefetch
 * loads and write saves behind. What one run of a schedule cost, measured, is {@link
 * dev.rewind.trainer.schedule.RunMetrics}, the counterpart of the simulator's prediction.
 */
package dev.rewind.trainer.schedule;
