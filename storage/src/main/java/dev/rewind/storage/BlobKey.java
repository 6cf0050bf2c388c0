package dev.rewind.storage;

import java.util.regex.Pattern;

/**
 * The name of one blob: which run, task attempt, batch, time step and tensor it belongs to.
 *
 * <p>Every component is validated at construction, so a key always maps to a relative path {@code
 * <run>/a<attempt>/b<batch>/<tensor>/<step>.rwb} that stays under the store's root: names use only
 * {@code [A-Za-z0-9_.-]}, are 1 to 128 characters long, and are neither {@code .} nor contain
 * {@code ..}; numbers are non-negative. A bad component is rejected, never rewritten.
 *
 * @param run the training run
 * @param attempt the task attempt (a Spark task attempt id, or 0 outside Spark)
 * @param batch the batch (or segment) number
 * @param step the time step
 * @param tensor the tensor name, e.g. {@code v.layer0}
 */
public record BlobKey(String run, long attempt, long batch, long step, String tensor) {

  /** Suffix of published blob files; temporary files never end with it. */
  public static final String SUFFIX = ".rwb";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

  public BlobKey {
    checkName("run", run);
    checkName("tensor", tensor);
    checkNumber("attempt", attempt);
    checkNumber("batch", batch);
    checkNumber("step", step);
  }

  /** The path of this blob relative to a store root, with {@code /} separators. */
  public String relativePath() {
    return run + "/a" + attempt + "/b" + batch + "/" + tensor + "/" + step + SUFFIX;
  }

  static void checkName(String what, String value) {
    if (value == null) {
      throw new IllegalArgumentException(what + ": expected a name, got null");
    }
    if (!NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what
              + ": expected 1 to 128 characters from [A-Za-z0-9_.-], got \""
              + printable(value)
              + "\"");
    }
    if (value.startsWith(".") || value.contains("..")) {
      throw new IllegalArgumentException(
          what + ": expected a name without a leading '.' or '..', got \"" + value + "\"");
    }
  }

  private static void checkNumber(String what, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(what + ": expected >= 0, got " + value);
    }
  }

  private static String printable(String value) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length() && i < 160; i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out.toString();
  }
}
