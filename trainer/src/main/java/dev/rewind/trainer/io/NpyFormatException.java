package dev.rewind.trainer.io;

import java.io.IOException;

/** A file or byte sequence that is not a {@code .npy} array Rewind can read; names both. */
public final class NpyFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  private final String source;

  /**
   * @param source the file path or other origin of the bytes
   * @param problem what is wrong, as "expected X, got Y"
   */
  public NpyFormatException(String source, String problem) {
    super(source + ": " + problem);
    this.source = source;
  }

  /** Returns the file path or other origin of the bytes. */
  public String source() {
    return source;
  }
}
