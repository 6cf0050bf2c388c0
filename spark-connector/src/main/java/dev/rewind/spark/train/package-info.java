/**
 * Distributed training on Spark: the driver's loop ({@link
 * dev.rewind.spark.train.DistributedTrainer}), one job per optimizer step ({@link
 * dev.rewind.spark.train.DistributedStep}) whose tasks compute batched gradient sums of their
 * sequences through the trainer's checkpoint schedules on an executor-local or Hadoop off-chip
 * store, the epoch layout of sequences over task slots, held-out scoring, the budget check before
 * the first job, and the training state saved for resume. Uses Spark, Hadoop, {@code spark.data},
 * the trainer and the storage module.
 */
package dev.rewind.spark.train;
