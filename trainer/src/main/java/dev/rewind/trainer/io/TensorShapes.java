package dev.rewind.trainer.io;

import java.util.Arrays;

/** Shape checks shared by the tensor records and the readers. */
final class TensorShapes {

  private TensorShapes() {}

  /**
   * Returns the number of elements of {@code shape}, or -1 if it does not fit a Java array.
   *
   * @throws IllegalArgumentException if a dimension is negative
   */
  static long elementCount(int[] shape) {
    long count = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "shape: expected dimensions >= 0, got " + Arrays.toString(shape));
      }
      count *= d;
      if (count > Integer.MAX_VALUE) {
        return -1;
      }
    }
    return count;
  }

  /** Checks that {@code shape} describes exactly {@code length} elements; returns a copy. */
  static int[] checked(int[] shape, int length) {
    if (shape == null) {
      throw new IllegalArgumentException("shape: expected an array, got null");
    }
    int[] copy = shape.clone();
    long count = elementCount(copy);
    if (count != length) {
      throw new IllegalArgumentException(
          "shape "
              + Arrays.toString(copy)
              + ": expected "
              + (count < 0 ? "more than " + Integer.MAX_VALUE : count)
              + " elements, got data of length "
              + length);
    }
    return copy;
  }
}
