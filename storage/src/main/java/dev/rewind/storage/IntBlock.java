package dev.rewind.storage;

import java.util.Arrays;

/**
 * A dense int32 tensor.
 *
 * @param shape dimensions; their product equals {@code data.length}
 * @param data values in row-major order
 */
public record IntBlock(int[] shape, int[] data) implements Blob {

  public IntBlock {
    if (data == null) {
      throw new IllegalArgumentException("int block: expected data, got null");
    }
    shape = BlobShapes.checkDense("int block", shape, data.length);
  }

  /** A rank-1 block over {@code data}. */
  public static IntBlock of(int... data) {
    return new IntBlock(new int[] {data.length}, data);
  }

  @Override
  public BlobKind kind() {
    return BlobKind.INTS;
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IntBlock that
        && Arrays.equals(shape, that.shape)
        && Arrays.equals(data, that.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "IntBlock" + Arrays.toString(shape);
  }
}
