package dev.rewind.storage.format;

/** Unsigned LEB128 varints over byte arrays. */
final class VarInts {
  private VarInts() {}

  static int length(long value) {
    int bits = 64 - Long.numberOfLeadingZeros(value | 1);
    return (bits + 6) / 7;
  }

  /** Writes {@code value} at {@code pos}, returns the position after it. */
  static int write(byte[] out, int pos, long value) {
    while ((value & ~0x7FL) != 0) {
      out[pos++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[pos++] = (byte) value;
    return pos;
  }

  /** A cursor that reads varints and fails on overruns instead of returning garbage. */
  static final class Reader {
    private final byte[] in;
    private final int end;
    private int pos;

    Reader(byte[] in, int pos, int end) {
      this.in = in;
      this.pos = pos;
      this.end = end;
    }

    long read() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new IllegalStateException("varint runs past the payload end at " + pos);
        }
        int b = in[pos++];
        value |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw new IllegalStateException("varint longer than 10 bytes at " + pos);
    }

    int position() {
      return pos;
    }
  }
}
