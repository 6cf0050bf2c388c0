package dev.rewind.storage;

import java.io.IOException;

/** A put was refused because the tier has no room left (a byte budget or a full disk). */
public final class StoreFullException extends IOException {
  private static final long serialVersionUID = 1L;

  public StoreFullException(String message) {
    super(message);
  }

  public StoreFullException(String message, Throwable cause) {
    super(message, cause);
  }
}
