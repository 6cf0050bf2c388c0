package dev.rewind.storage;

/** A file or blob was written in a format version this code does not read. */
public final class UnsupportedFormatVersionException extends CorruptFileException {
  private static final long serialVersionUID = 1L;

  public UnsupportedFormatVersionException(String location, int actual, int min, int max) {
    super(
        location,
        "unsupported format version: expected " + min + " to " + max + ", actual=" + actual);
  }
}
