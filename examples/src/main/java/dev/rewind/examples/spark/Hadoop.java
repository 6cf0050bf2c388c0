package dev.rewind.examples.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Output that appears whole or not at all, on any Hadoop file system or a local folder. */
public final class Hadoop {
  private Hadoop() {}

  /** True when a command-line location is a URI (hdfs://..., file:...) rather than a folder. */
  public static boolean isUri(String location) {
    return location.contains("://") || location.startsWith("file:");
  }

  /**
   * A command-line location as a Hadoop URI: a URI as given, a folder as its absolute file: URI.
   */
  public static String uriOf(String location) {
    return isUri(location)
        ? location
        : java.nio.file.Path.of(location).toAbsolutePath().toUri().toString();
  }

  /**
   * Fails unless {@code location} (a path or Hadoop URI) does not exist yet, before any work is
   * spent; {@code option} names it in the message.
   */
  public static void requireAbsent(SparkSession spark, String option, String location)
      throws IOException {
    Path target = new Path(location);
    FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (fs.exists(target)) {
      throw new IllegalArgumentException(
          option + ": expected a new path, got existing " + fs.makeQualified(target));
    }
  }

  /**
   * Writes each DataFrame as Parquet under {@code location/<name>}: everything goes to a hidden
   * sibling first, renamed to {@code location} once complete; on failure the sibling is removed.
   */
  public static void writeParquetAtomically(
      SparkSession spark, String option, String location, Map<String, Dataset<Row>> parts)
      throws IOException {
    atomically(
        spark,
        option,
        location,
        staging -> {
          for (Map.Entry<String, Dataset<Row>> part : parts.entrySet()) {
            part.getValue().write().parquet(new Path(staging, part.getKey()).toString());
          }
        });
  }

  /** Writes {@code rows} as Parquet at {@code location}, whole or not at all. */
  public static void writeParquetAtomically(
      SparkSession spark, String option, String location, Dataset<Row> rows) throws IOException {
    atomically(spark, option, location, staging -> rows.write().parquet(staging.toString()));
  }

  private static void atomically(
      SparkSession spark, String option, String location, Consumer<Path> writer)
      throws IOException {
    requireAbsent(spark, option, location);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path target = new Path(location);
    FileSystem fs = target.getFileSystem(conf);
    Path qualified = fs.makeQualified(target);
    Path staging =
        new Path(qualified.getParent(), "." + qualified.getName() + "-" + UUID.randomUUID());
    try {
      fs.mkdirs(qualified.getParent());
      writer.accept(staging);
      if (!fs.rename(staging, qualified)) {
        throw new IOException(
            option
                + ": could not rename "
                + staging
                + " to "
                + qualified
                + " (does it exist now?)");
      }
    } catch (Throwable e) { // Spark rethrows its checked SparkException undeclared
      fs.delete(staging, true);
      throw e;
    }
  }

  /** Removes a local folder and everything in it; absent is fine. */
  static void deleteLocal(java.nio.file.Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (java.nio.file.Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
