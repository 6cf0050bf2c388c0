/**
 * From DataFrame rows to frames, behind the Estimator: row decoding with errors that name the
 * column and value ({@link dev.rewind.spark.internal.data.RowDecoder}, {@link
 * dev.rewind.spark.internal.data.InputCheck}), chunks of a sequence's steps as Spark values ({@link
 * dev.rewind.spark.internal.data.Chunk}), and the frame sources over them that the trainer reads
 * ({@link dev.rewind.spark.internal.data.SequenceStream}, {@link
 * dev.rewind.spark.internal.data.BatchedFrames}), spooled through a blob store when long. Internal:
 * public for the Estimator, the connector's training tasks and the CLI, not API. Uses Spark, {@code
 * spark.data}, the trainer's {@code data} types and the storage API.
 */
package dev.rewind.spark.internal.data;
