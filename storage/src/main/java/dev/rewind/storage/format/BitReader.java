package dev.rewind.storage.format;

/** Reads bits most-significant first; fails instead of reading past its end. */
final class BitReader {
  private final byte[] in;
  private final int end;
  private int pos;
  private long acc;
  private int available;

  BitReader(byte[] in, int pos, int end) {
    this.in = in;
    this.pos = pos;
    this.end = end;
  }

  /** Reads {@code bits} (0 to 32) bits. */
  long read(int bits) {
    while (available < bits) {
      if (pos >= end) {
        throw new IllegalStateException("bit stream runs past the payload end");
      }
      acc = (acc << 8) | (in[pos++] & 0xFF);
      available += 8;
    }
    available -= bits;
    return (acc >>> available) & ((1L << bits) - 1);
  }

  /** Counts zeros up to and including the next one bit; returns the number of zeros. */
  long readUnary() {
    long zeros = 0;
    while (true) {
      if (available == 0) {
        if (pos >= end) {
          throw new IllegalStateException("unary code runs past the payload end");
        }
        acc = in[pos++] & 0xFF;
        available = 8;
      }
      int window = (int) (acc & ((1L << available) - 1));
      if (window == 0) {
        zeros += available;
        available = 0;
      } else {
        int leading = available - (32 - Integer.numberOfLeadingZeros(window));
        zeros += leading;
        available -= leading + 1;
        return zeros;
      }
    }
  }

  /** Position just after the last byte touched. */
  int position() {
    return pos;
  }

  /** True when the bits left in the current byte are all zero padding. */
  boolean paddingIsZero() {
    return (acc & ((1L << available) - 1)) == 0;
  }
}
