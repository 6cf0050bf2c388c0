package dev.rewind.storage;

import java.io.FileNotFoundException;

/** No blob is stored under the requested key. The message names the location that was read. */
public final class BlobNotFoundException extends FileNotFoundException {
  private static final long serialVersionUID = 1L;

  public BlobNotFoundException(String location) {
    super("blob not found: " + location);
  }
}
