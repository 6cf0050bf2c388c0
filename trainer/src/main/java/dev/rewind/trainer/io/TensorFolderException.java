package dev.rewind.trainer.io;

import java.io.IOException;

/**
 * A folder of {@code .npy} files that does not hold what a {@link NamedTensorFolder} expects: a
 * missing or unknown tensor, or one of another type or shape. The message names the file.
 */
public final class TensorFolderException extends IOException {

  private static final long serialVersionUID = 1L;

  public TensorFolderException(String message) {
    super(message);
  }
}
