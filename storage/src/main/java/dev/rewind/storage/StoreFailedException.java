package dev.rewind.storage;

import java.io.IOException;

/**
 * A background write or read of an asynchronous store failed earlier. The store refuses every later
 * call except {@code close()}; the cause is the original failure.
 */
public final class StoreFailedException extends IOException {
  private static final long serialVersionUID = 1L;

  public StoreFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
