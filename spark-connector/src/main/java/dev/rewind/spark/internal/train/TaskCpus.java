package dev.rewind.spark.internal.train;

import org.apache.spark.sql.SparkSession;

/** {@code spark.task.cpus}: the cores Spark gives each task, and so the threads of its kernels. */
public final class TaskCpus {
  private static final String KEY = "spark.task.cpus";

  private TaskCpus() {}

  /** The session's {@code spark.task.cpus} (1 when unset); fails naming a value that is not one. */
  public static int of(SparkSession session) {
    return parse(session.conf().get(KEY, "1"));
  }

  static int parse(String text) {
    String value = text.trim();
    try {
      int cpus = Integer.parseInt(value);
      if (cpus >= 1) {
        return cpus;
      }
    } catch (NumberFormatException e) {
      // reported below with the key, as for a count below 1
    }
    throw new IllegalArgumentException(
        KEY + " must be a whole number of cores, at least 1; got '" + value + "'");
  }
}
