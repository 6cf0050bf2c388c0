package dev.rewind.spark.train;

import java.io.Serializable;

/**
 * How a task runs BPTT over one sequence: the checkpoint schedule ({@code auto} or a named one) and
 * the memory budget per task in bytes for on-chip tapes and checkpoints.
 */
public record ScheduleOptions(String schedule, long memoryBudgetBytes) implements Serializable {
  public ScheduleOptions {
    if (schedule == null || schedule.isBlank()) {
      throw new IllegalArgumentException("schedule: expected auto or a schedule name, got none");
    }
    if (memoryBudgetBytes <= 0) {
      throw new IllegalArgumentException(
          "memoryBudget: expected > 0 bytes, got " + memoryBudgetBytes);
    }
  }

  /**
   * Parses a byte size such as {@code 512m}, {@code 2g}, {@code 64k} or {@code 1048576} (binary
   * multiples).
   */
  public static long parseBytes(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    long unit = 1;
    if (!t.isEmpty() && "kmg".indexOf(t.charAt(t.length() - 1)) >= 0) {
      unit = 1L << (10 * ("kmg".indexOf(t.charAt(t.length() - 1)) + 1));
      t = t.substring(0, t.length() - 1);
    }
    try {
      long n = Long.parseLong(t);
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "memoryBudget: expected a positive size like 512m or 2g, got '" + text + "'");
    }
  }
}
