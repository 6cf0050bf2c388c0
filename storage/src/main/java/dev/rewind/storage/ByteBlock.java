package dev.rewind.storage;

import java.util.Arrays;

/**
 * Opaque bytes.
 *
 * @param data the bytes
 */
public record ByteBlock(byte[] data) implements Blob {

  public ByteBlock {
    if (data == null) {
      throw new IllegalArgumentException("byte block: expected data, got null");
    }
  }

  @Override
  public BlobKind kind() {
    return BlobKind.BYTES;
  }

  @Override
  public int[] shape() {
    return new int[] {data.length};
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ByteBlock that && Arrays.equals(data, that.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "ByteBlock[" + data.length + "]";
  }
}
