package dev.rewind.examples.spark;

import dev.rewind.spark.data.InputColumns;
import dev.rewind.spark.data.InputFormat;
import dev.rewind.spark.data.Supervision;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A DataFrame with the connector's input columns and what its schema says: the format (a {@code
 * frames} column means dense, {@code event_times} events), whether sequences span many rows (both
 * {@code seq_id} and {@code chunk_idx} present), and the channel and class counts recorded by
 * {@code rewind convert} as column metadata, if any.
 */
public record InputTable(
    Dataset<Row> rows,
    InputFormat format,
    boolean chunked,
    OptionalInt channels,
    OptionalInt classes) {

  /**
   * Reads Parquet at {@code location} (a path or Hadoop URI) and checks its columns, before any
   * job: a missing or mistyped column fails naming it, its type and the expected type.
   */
  public static InputTable parquet(
      SparkSession spark, String option, String location, Supervision supervision) {
    return of(read(spark, option, location), option + " " + location, supervision);
  }

  /**
   * Parquet at {@code location}; a path that does not exist or holds no Parquet is an
   * IllegalArgumentException naming {@code option}.
   */
  static Dataset<Row> read(SparkSession spark, String option, String location) {
    try {
      return spark.read().parquet(location);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      // Spark's AnalysisException (path not found, no schema) is checked in Java's eyes.
      throw new IllegalArgumentException(
          option + ": expected Parquet files, got " + e.getMessage(), e);
    }
  }

  /**
   * Checks that {@code rows} have the frames and what {@code supervision} reads; {@code source}
   * names them in messages.
   */
  public static InputTable of(Dataset<Row> rows, String source, Supervision supervision) {
    StructType schema = rows.schema();
    List<String> names = Arrays.asList(schema.fieldNames());
    InputFormat format;
    if (names.contains("frames")) {
      format = InputFormat.DENSE;
    } else if (names.contains("event_times")) {
      format = InputFormat.EVENTS;
    } else {
      throw new IllegalArgumentException(
          source
              + ": expected a column 'frames' (dense) or 'event_times' (events), got columns "
              + String.join(", ", names));
    }
    boolean chunked = names.contains("seq_id") && names.contains("chunk_idx");
    InputTable table =
        new InputTable(
            rows,
            format,
            chunked,
            metadata(
                schema,
                format == InputFormat.DENSE ? "frames" : "event_channels",
                SequenceRows.CHANNELS),
            metadata(schema, "label", SequenceRows.CLASSES));
    try {
      table.columns().validate(schema, supervision);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
    return table;
  }

  /** The connector's column settings for this table. */
  public InputColumns columns() {
    return new InputColumns(
        format,
        "frames",
        "event_times",
        "event_channels",
        "length",
        "label",
        chunked ? "seq_id" : "",
        "chunk_idx");
  }

  /** True for real-valued frames, false for spike events. */
  public boolean dense() {
    return format == dev.rewind.spark.data.InputFormat.DENSE;
  }

  /** "dense" or "events", as the connector's inputFormat Param reads it. */
  public String formatName() {
    return format.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The column that holds sequence ids for the connector's sequenceIdCol Param. */
  public String sequenceIdCol() {
    return chunked ? "seq_id" : "";
  }

  /** The model-input columns (frames or events), which predictions leave out. */
  public List<String> featureColumns() {
    return format == InputFormat.DENSE
        ? List.of("frames")
        : List.of("event_times", "event_channels", "length");
  }

  private static OptionalInt metadata(StructType schema, String column, String key) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(column) && f.metadata().contains(key)) {
        return OptionalInt.of((int) f.metadata().getLong(key));
      }
    }
    return OptionalInt.empty();
  }
}
