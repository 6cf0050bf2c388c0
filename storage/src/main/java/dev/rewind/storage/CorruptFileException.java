package dev.rewind.storage;

import java.io.IOException;

/**
 * A stored file or blob image is unreadable: truncated, a checksum mismatch, a foreign file, or a
 * bad header. The message names the location and says what was expected and what was found.
 */
public class CorruptFileException extends IOException {
  private static final long serialVersionUID = 1L;

  public CorruptFileException(String location, String problem) {
    super(problem + " for " + location);
  }

  public CorruptFileException(String location, String problem, Throwable cause) {
    super(problem + " for " + location, cause);
  }
}
