package dev.rewind.storage.tier;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Validates relative blob paths: segments of {@code [A-Za-z0-9_.-]}, never '.' or '..'. */
final class TierPaths {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

  private TierPaths() {}

  /** Returns {@code path} or throws IllegalArgumentException naming it. */
  public static String check(String path) {
    if (path == null || path.isEmpty() || path.length() > 1024) {
      throw new IllegalArgumentException(
          "blob path: expected a relative path of 1 to 1024 characters, got \"" + path + "\"");
    }
    for (String segment : path.split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches()
          || segment.equals(".")
          || segment.contains("..")
          || segment.startsWith(".")) {
        throw new IllegalArgumentException(
            "blob path: expected segments of [A-Za-z0-9_.-] without leading '.' or '..', got \""
                + path
                + "\"");
      }
    }
    return path;
  }

  /** A fresh temporary file name next to {@code fileName}; hidden and never a blob name. */
  static String temporaryName(String fileName) {
    return "." + fileName + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp";
  }

  /** True when an I/O failure means the device or quota is full. */
  static boolean isOutOfSpace(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String name = t.getClass().getSimpleName();
      String message = String.valueOf(t.getMessage());
      if (message.contains("No space left on device")
          || name.contains("QuotaExceeded")
          || name.contains("DiskOutOfSpace")) {
        return true;
      }
    }
    return false;
  }
}
