/**
 * The Spark side of the CLI: the embedded or submitted session ({@link
 * dev.rewind.examples.spark.SparkRuntime}), Hadoop paths, scratch space, what an input DataFrame's
 * schema says (format, sequences over many rows, channel and class counts), and the rows the
 * built-in tasks become. Uses Spark, Hadoop and the connector's {@code data} package.
 */
package dev.rewind.examples.spark;
