package dev.rewind.storage;

import java.io.IOException;

/**
 * A stored blob is unreadable: truncated, a checksum mismatch, a foreign file, or a bad header. The
 * message names the location and says what was expected and what was found.
 */
public class CorruptBlobException extends IOException {
  private static final long serialVersionUID = 1L;

  public CorruptBlobException(String location, String problem) {
    super(problem + " for " + location);
  }

  public CorruptBlobException(String location, String problem, Throwable cause) {
    super(problem + " for " + location, cause);
  }
}
