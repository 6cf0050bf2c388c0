/**
 * Distributed training on Spark: the driver's loop ({@link
 * dev.rewind.spark.internal.train.DistributedTrainer}), one job per optimizer step ({@link
 * dev.rewind.spark.internal.train.DistributedStep}) whose tasks compute batched gradient sums of
 * their sequences through the trainer's checkpoint schedules on an executor-local or Hadoop
 * off-chip store, the epoch layout of sequences over task slots, held-out scoring, the budget check
 * before the first job, and the training state saved for resume. Internal: public for the Estimator
 * and the CLI, not API. Uses Spark, Hadoop, {@code spark.data}, {@code internal.data}, {@code
 * spark.ml}'s {@code Evaluation}, the trainer and the storage module.
 */
package dev.rewind.spark.internal.train;
