package dev.rewind.storage;

import java.util.Arrays;

/** Shape checks shared by the dense blob types. */
final class BlobShapes {
  private BlobShapes() {}

  static int[] checkDense(String what, int[] shape, int length) {
    if (shape == null || shape.length > Blob.MAX_RANK) {
      throw new IllegalArgumentException(
          what
              + ": expected a shape of rank 0 to "
              + Blob.MAX_RANK
              + ", got "
              + (shape == null ? "null" : "rank " + shape.length));
    }
    long product = 1;
    for (int dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException(
            what + ": expected dimensions >= 0, got " + Arrays.toString(shape));
      }
      product *= dim;
      if (product > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            what + ": expected fewer than 2^31 elements, got shape " + Arrays.toString(shape));
      }
    }
    if (product != length) {
      throw new IllegalArgumentException(
          what
              + ": expected "
              + product
              + " values for shape "
              + Arrays.toString(shape)
              + ", got "
              + length);
    }
    return shape.clone();
  }
}
