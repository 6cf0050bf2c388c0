/**
 * Where training progress goes on a cluster: per-step metrics as JSON lines on any Hadoop file
 * system, and a log line per step. Uses Hadoop, Jackson and the trainer's {@code training} metrics;
 * no Spark.
 */
package dev.rewind.spark.metrics;
