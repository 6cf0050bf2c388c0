package dev.rewind.trainer.internal.runner;

import java.io.IOException;

/**
 * A checkpoint (or spooled input chunk) could not be read back from the slow tier: missing,
 * corrupted, truncated or of the wrong shape. The run stops; it never goes on with wrong data. The
 * message names the blob keys; the cause is the store's error, which names the file.
 */
public final class CheckpointReadException extends IOException {
  private static final long serialVersionUID = 1L;

  public CheckpointReadException(String what, Throwable cause) {
    super(what + " is unreadable: " + cause.getMessage(), cause);
  }
}
