/**
 * The input tables a user builds and hands to the Estimator: {@link dev.rewind.spark.data.Datasets}
 * (tables from frame sources), {@link dev.rewind.spark.data.InputFormat} and {@link
 * dev.rewind.spark.data.InputColumns} (the accepted column layouts, dense and event, and their
 * checks). The decoding of rows lives in {@code internal.data}. Uses Spark and the trainer's {@code
 * data} types.
 */
package dev.rewind.spark.data;
