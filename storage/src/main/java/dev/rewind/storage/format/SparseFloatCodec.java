package dev.rewind.storage.format;

import dev.rewind.storage.SparseFloats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Sparse floats: count varint, raw little-endian values, then index gaps as varints. */
final class SparseFloatCodec {
  private SparseFloatCodec() {}

  static int length(SparseFloats sparse) {
    int[] indices = sparse.indices();
    long length = VarInts.length(indices.length) + 4L * indices.length;
    int previous = -1;
    for (int index : indices) {
      length += VarInts.length(index - previous - 1);
      previous = index;
    }
    return (int) length;
  }

  static void encode(SparseFloats sparse, byte[] out, int pos) {
    int[] indices = sparse.indices();
    pos = VarInts.write(out, pos, indices.length);
    ByteBuffer.wrap(out, pos, 4 * indices.length)
        .slice()
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .put(sparse.values());
    pos += 4 * indices.length;
    int previous = -1;
    for (int index : indices) {
      pos = VarInts.write(out, pos, index - previous - 1);
      previous = index;
    }
  }

  static SparseFloats decode(int length, byte[] in, int pos, int payloadLength) {
    int end = pos + payloadLength;
    VarInts.Reader reader = new VarInts.Reader(in, pos, end);
    long count = reader.read();
    if (count > length || 4 * count > end - reader.position()) {
      throw new IllegalStateException("sparse count " + count + " does not fit the payload");
    }
    int n = (int) count;
    float[] values = new float[n];
    int valuesAt = reader.position();
    ByteBuffer.wrap(in, valuesAt, 4 * n)
        .slice()
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(values);
    VarInts.Reader gaps = new VarInts.Reader(in, valuesAt + 4 * n, end);
    int[] indices = new int[n];
    long previous = -1;
    for (int i = 0; i < n; i++) {
      previous += gaps.read() + 1;
      if (previous >= length) {
        throw new IllegalStateException("sparse index " + previous + " >= length " + length);
      }
      indices[i] = (int) previous;
    }
    if (gaps.position() != end) {
      throw new IllegalStateException(
          "payload has " + (end - gaps.position()) + " bytes after the last index");
    }
    return new SparseFloats(length, indices, values);
  }
}
