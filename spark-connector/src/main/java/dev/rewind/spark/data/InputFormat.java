package dev.rewind.spark.data;

/** How a DataFrame holds frames. */
public enum InputFormat {
  /** {@code array<array<float>>}: one float per channel per step. */
  DENSE,
  /**
   * {@code array<int>} event times, {@code array<int>} event channels and an {@code int} length.
   */
  EVENTS;

  /** Parses "dense" or "events". */
  public static InputFormat parse(String name) {
    for (InputFormat f : values()) {
      if (f.name().equalsIgnoreCase(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("inputFormat: expected dense or events, got " + name);
  }
}
