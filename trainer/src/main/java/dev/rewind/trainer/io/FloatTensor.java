package dev.rewind.trainer.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A float32 array. The record keeps {@code data} without copying it (arrays here can be large); the
 * shape is copied.
 *
 * @param shape dimensions, each {@code >= 0}; {@code []} for a scalar
 * @param data elements in C order, length = product of {@code shape}
 */
public record FloatTensor(int[] shape, float[] data) implements NpyArray {

  public FloatTensor {
    Objects.requireNonNull(data, "data");
    shape = TensorShapes.checked(shape, data.length);
  }

  /** Returns a 1-dimensional tensor holding {@code data}. */
  public static FloatTensor vector(float... data) {
    return new FloatTensor(new int[] {data.length}, data);
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public ElementType type() {
    return ElementType.FLOAT32;
  }

  @Override
  public int size() {
    return data.length;
  }

  /** Equal when shapes are equal and data are bit-identical. */
  @Override
  public boolean equals(Object o) {
    return o instanceof FloatTensor other
        && Arrays.equals(shape, other.shape)
        && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "FloatTensor" + Arrays.toString(shape);
  }
}
