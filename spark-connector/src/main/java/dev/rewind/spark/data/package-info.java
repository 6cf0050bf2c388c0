/**
 * From DataFrame rows to frames: the input columns and formats (dense, event), row decoding with
 * errors that name the column and value, chunks of a sequence's steps as Spark values, and the
 * frame sources over them that the trainer reads, spooled through a blob store when long. Uses
 * Spark, the trainer's {@code data} types and the storage API.
 */
package dev.rewind.spark.data;
