package dev.rewind.storage;

import java.util.Arrays;

/**
 * A float vector of {@code length} entries of which only {@code indices} are non-zero; values are
 * stored bit-exactly.
 *
 * @param length logical length, >= 0
 * @param indices strictly increasing positions in {@code [0, length)}
 * @param values one value per index
 */
public record SparseFloats(int length, int[] indices, float[] values) implements Blob {

  public SparseFloats {
    if (length < 0) {
      throw new IllegalArgumentException("sparse floats: expected length >= 0, got " + length);
    }
    if (indices == null || values == null || indices.length != values.length) {
      throw new IllegalArgumentException(
          "sparse floats: expected as many values as indices, got "
              + (indices == null ? "null" : indices.length)
              + " indices and "
              + (values == null ? "null" : values.length)
              + " values");
    }
    int previous = -1;
    for (int index : indices) {
      if (index <= previous || index >= length) {
        throw new IllegalArgumentException(
            "sparse floats: expected increasing indices in [0, "
                + length
                + "), got "
                + index
                + " after "
                + previous);
      }
      previous = index;
    }
  }

  @Override
  public BlobKind kind() {
    return BlobKind.SPARSE_FLOATS;
  }

  @Override
  public int[] shape() {
    return new int[] {length};
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof SparseFloats that)
        || length != that.length
        || !Arrays.equals(indices, that.indices)) {
      return false;
    }
    for (int i = 0; i < values.length; i++) {
      if (Float.floatToRawIntBits(values[i]) != Float.floatToRawIntBits(that.values[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int hash = 31 * length + Arrays.hashCode(indices);
    for (float value : values) {
      hash = 31 * hash + Float.floatToRawIntBits(value);
    }
    return hash;
  }

  @Override
  public String toString() {
    return "SparseFloats[" + indices.length + " of " + length + "]";
  }
}
