package dev.rewind.trainer.schedule;

import java.util.Locale;

/**
 * A heap budget in bytes for a schedule's current state, memory slots and tape, as given on the
 * command line: {@code 1048576}, {@code 64k}, {@code 512m}, {@code 2g}, {@code 1t} (binary
 * multiples, case-insensitive).
 *
 * @param bytes the budget, at least 1
 */
public record MemoryBudget(long bytes) implements java.io.Serializable {

  /** No limit: every schedule fits. */
  public static final MemoryBudget UNLIMITED = new MemoryBudget(Long.MAX_VALUE);

  public MemoryBudget {
    if (bytes < 1) {
      throw new IllegalArgumentException("expected a memory budget >= 1 byte, got " + bytes);
    }
  }

  /** Parses {@code 512m}-style text; the message of a bad value quotes it and says why. */
  public static MemoryBudget parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "expected a memory budget like 512m, 2g or 1048576, got '" + text + "'");
    }
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    char unit = trimmed.charAt(trimmed.length() - 1);
    int shift;
    switch (unit) {
      case 'k':
        shift = 10;
        break;
      case 'm':
        shift = 20;
        break;
      case 'g':
        shift = 30;
        break;
      case 't':
        shift = 40;
        break;
      default:
        if (!Character.isDigit(unit)) {
          throw new IllegalArgumentException(
              "expected a memory budget unit k, m, g or t, got '" + unit + "' in '" + text + "'");
        }
        shift = 0;
    }
    String digits = shift == 0 ? trimmed : trimmed.substring(0, trimmed.length() - 1);
    if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException(
          "expected a whole number before the unit of a memory budget, got '" + text + "'");
    }
    long value;
    try {
      value = Long.parseLong(digits);
    } catch (NumberFormatException tooLarge) {
      throw new IllegalArgumentException("memory budget '" + text + "' is too large", tooLarge);
    }
    if (value > Long.MAX_VALUE >> shift) {
      throw new IllegalArgumentException("memory budget '" + text + "' is too large");
    }
    return new MemoryBudget(value << shift);
  }

  /**
   * One of {@code parts} equal shares of this budget, for that many schedules held at once (no
   * limit stays no limit).
   */
  public MemoryBudget share(int parts) {
    if (parts < 1) {
      throw new IllegalArgumentException("expected a share of >= 1 parts, got " + parts);
    }
    return this.equals(UNLIMITED) ? this : new MemoryBudget(Math.max(1, bytes / parts));
  }

  /** The budget in MiB, for messages. */
  public static String mebibytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  /** The text {@link #parse} reads back as this budget: the byte count. */
  public String text() {
    return Long.toString(bytes);
  }

  @Override
  public String toString() {
    return mebibytes(bytes);
  }
}
