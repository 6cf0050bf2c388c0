package dev.rewind.trainer.io;

/**
 * An n-dimensional array in C (row-major) order: a shape and a flat data array whose length is the
 * product of the shape (1 for the 0-dimensional shape {@code []}).
 */
public sealed interface NpyArray permits FloatTensor, IntTensor {

  /** Returns a copy of the shape. */
  int[] shape();

  /** Returns the element type. */
  ElementType type();

  /** Returns the number of elements. */
  int size();

  /**
   * Returns this array as a {@link FloatTensor}.
   *
   * @throws IllegalArgumentException if it holds another element type
   */
  default FloatTensor asFloat() {
    if (this instanceof FloatTensor f) {
      return f;
    }
    throw new IllegalArgumentException("expected a FLOAT32 array, got " + type());
  }

  /**
   * Returns this array as an {@link IntTensor}.
   *
   * @throws IllegalArgumentException if it holds another element type
   */
  default IntTensor asInt() {
    if (this instanceof IntTensor i) {
      return i;
    }
    throw new IllegalArgumentException("expected an INT32 array, got " + type());
  }
}
