package dev.rewind.storage.format;

/** Writes bits most-significant first into a byte array. */
final class BitWriter {
  private final byte[] out;
  private int pos;
  private long acc;
  private int pending;

  BitWriter(byte[] out, int pos) {
    this.out = out;
    this.pos = pos;
  }

  /** Appends the low {@code bits} (0 to 32) bits of {@code value}. */
  void write(long value, int bits) {
    acc = (acc << bits) | (value & ((1L << bits) - 1));
    pending += bits;
    while (pending >= 8) {
      pending -= 8;
      out[pos++] = (byte) (acc >>> pending);
    }
  }

  void writeZeros(long count) {
    while (count > 32) {
      write(0, 32);
      count -= 32;
    }
    write(0, (int) count);
  }

  /** Pads the last byte with zeros; returns the position after it. */
  int finish() {
    if (pending > 0) {
      out[pos++] = (byte) (acc << (8 - pending));
      pending = 0;
    }
    return pos;
  }
}
