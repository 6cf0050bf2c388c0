package dev.rewind.trainer.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * An int32 array. The record keeps {@code data} without copying it (arrays here can be large); the
 * shape is copied.
 *
 * @param shape dimensions, each {@code >= 0}; {@code []} for a scalar
 * @param data elements in C order, length = product of {@code shape}
 */
public record IntTensor(int[] shape, int[] data) implements NpyArray {

  public IntTensor {
    Objects.requireNonNull(data, "data");
    shape = TensorShapes.checked(shape, data.length);
  }

  /** Returns a 1-dimensional tensor holding {@code data}. */
  public static IntTensor vector(int... data) {
    return new IntTensor(new int[] {data.length}, data);
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public ElementType type() {
    return ElementType.INT32;
  }

  @Override
  public int size() {
    return data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IntTensor other
        && Arrays.equals(shape, other.shape)
        && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "IntTensor" + Arrays.toString(shape);
  }
}
