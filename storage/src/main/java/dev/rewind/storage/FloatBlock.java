package dev.rewind.storage;

import java.util.Arrays;

/**
 * A dense float32 tensor, stored bit-exactly (including -0.0 and NaN payloads).
 *
 * @param shape dimensions; their product equals {@code data.length}
 * @param data values in row-major order
 */
public record FloatBlock(int[] shape, float[] data) implements Blob {

  public FloatBlock {
    if (data == null) {
      throw new IllegalArgumentException("float block: expected data, got null");
    }
    shape = BlobShapes.checkDense("float block", shape, data.length);
  }

  /** A rank-1 block over {@code data}. */
  public static FloatBlock of(float... data) {
    return new FloatBlock(new int[] {data.length}, data);
  }

  @Override
  public BlobKind kind() {
    return BlobKind.FLOATS;
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** Equal when shapes match and every value has the same bits. */
  @Override
  public boolean equals(Object other) {
    if (!(other instanceof FloatBlock that)) {
      return false;
    }
    if (!Arrays.equals(shape, that.shape)) {
      return false;
    }
    for (int i = 0; i < data.length; i++) {
      if (Float.floatToRawIntBits(data[i]) != Float.floatToRawIntBits(that.data[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int hash = Arrays.hashCode(shape);
    for (float value : data) {
      hash = 31 * hash + Float.floatToRawIntBits(value);
    }
    return hash;
  }

  @Override
  public String toString() {
    return "FloatBlock" + Arrays.toString(shape);
  }
}
