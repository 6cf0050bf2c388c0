package dev.rewind.trainer.model;

import java.util.List;

/**
 * Where one named tensor lives in the flat parameter (or gradient) array: {@code size()} floats
 * from {@code offset}, row-major for matrices.
 */
public record TensorView(String name, int offset, List<Integer> shape) {
  public TensorView {
    shape = List.copyOf(shape);
  }

  /** Number of floats. */
  public int size() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** Rows of a matrix (the only dimension of a vector). */
  public int rows() {
    return shape.get(0);
  }

  /** Columns of a matrix, 1 for a vector. */
  public int cols() {
    return shape.size() > 1 ? shape.get(1) : 1;
  }
}
