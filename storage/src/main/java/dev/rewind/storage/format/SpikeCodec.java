package dev.rewind.storage.format;

import dev.rewind.storage.SpikeFrame;

/**
 * Encodes a spike frame as whichever of a bitmap, delta-varint gaps or Golomb-coded gaps is
 * smallest for this frame.
 *
 * <p>The frame is read as one row-major bit string of {@code rows * cols} cells. Every payload
 * starts with the spike count as a varint. A bitmap then holds one bit per cell (least significant
 * bit first). The gap codings hold, for each spike, the number of empty cells since the previous
 * one: as a varint, or as a Golomb code whose parameter, chosen from the frame's density, comes
 * right after the count. Golomb coding is optimal for independent cells of equal density, so the
 * Golomb payload stays within a few percent of the entropy bound {@code rows * cols * H(p)};
 * varints are faster to decode and win for very sparse frames.
 */
final class SpikeCodec {

  private SpikeCodec() {}

  /** The encoding a frame will use and its payload size. */
  public record Choice(PayloadCodec codec, int payloadLength, int golombParameter) {}

  public static long cells(SpikeFrame frame) {
    return (long) frame.rows() * frame.cols();
  }

  /** Size of the bitmap payload. */
  public static long bitmapLength(SpikeFrame frame) {
    return VarInts.length(frame.spikeCount()) + (cells(frame) + 7) / 8;
  }

  /** Picks the smallest encoding; ties go to the faster one (bitmap, then varint). */
  public static Choice choose(SpikeFrame frame) {
    int count = frame.spikeCount();
    long bitmap = bitmapLength(frame);
    int m = golombParameter(count, cells(frame));
    int b = 32 - Integer.numberOfLeadingZeros(m - 1);
    long shortCodes = (1L << b) - m;
    long varintBytes = VarInts.length(count);
    long golombBits = 0;
    long previous = -1;
    int[] offsets = frame.rowOffsets();
    int[] indices = frame.indices();
    int cols = frame.cols();
    for (int r = 0; r < frame.rows(); r++) {
      long rowStart = (long) r * cols;
      for (int i = offsets[r]; i < offsets[r + 1]; i++) {
        long position = rowStart + indices[i];
        long gap = position - previous - 1;
        previous = position;
        varintBytes += VarInts.length(gap);
        long quotient = gap / m;
        long remainder = gap - quotient * m;
        golombBits += quotient + 1 + (remainder < shortCodes ? b - 1 : b);
      }
    }
    long golomb = VarInts.length(count) + VarInts.length(m) + (golombBits + 7) / 8;
    if (bitmap <= varintBytes && bitmap <= golomb) {
      return new Choice(PayloadCodec.BITMAP, checkedLength(bitmap), m);
    }
    if (varintBytes <= golomb) {
      return new Choice(PayloadCodec.DELTA_VARINT, checkedLength(varintBytes), m);
    }
    return new Choice(PayloadCodec.GOLOMB, checkedLength(golomb), m);
  }

  /** Writes the payload of {@code choice} at {@code pos}; returns the position after it. */
  public static int encode(SpikeFrame frame, Choice choice, byte[] out, int pos) {
    pos = VarInts.write(out, pos, frame.spikeCount());
    int[] offsets = frame.rowOffsets();
    int[] indices = frame.indices();
    long cols = frame.cols();
    switch (choice.codec()) {
      case BITMAP -> {
        for (int r = 0; r < frame.rows(); r++) {
          long rowStart = r * cols;
          for (int i = offsets[r]; i < offsets[r + 1]; i++) {
            long position = rowStart + indices[i];
            out[pos + (int) (position >>> 3)] |= (byte) (1 << (position & 7));
          }
        }
        return pos + (int) ((cells(frame) + 7) / 8);
      }
      case DELTA_VARINT -> {
        long previous = -1;
        for (int r = 0; r < frame.rows(); r++) {
          long rowStart = r * cols;
          for (int i = offsets[r]; i < offsets[r + 1]; i++) {
            long position = rowStart + indices[i];
            pos = VarInts.write(out, pos, position - previous - 1);
            previous = position;
          }
        }
        return pos;
      }
      case GOLOMB -> {
        int m = choice.golombParameter();
        pos = VarInts.write(out, pos, m);
        int b = 32 - Integer.numberOfLeadingZeros(m - 1);
        long shortCodes = (1L << b) - m;
        BitWriter bits = new BitWriter(out, pos);
        long previous = -1;
        for (int r = 0; r < frame.rows(); r++) {
          long rowStart = r * cols;
          for (int i = offsets[r]; i < offsets[r + 1]; i++) {
            long position = rowStart + indices[i];
            long gap = position - previous - 1;
            previous = position;
            long quotient = gap / m;
            long remainder = gap - quotient * m;
            int remainderBits = b;
            if (remainder < shortCodes) {
              remainderBits = b - 1;
            } else {
              remainder += shortCodes;
            }
            // Unary quotient (zeros, then a one) and the remainder, in one write when they fit.
            if (quotient + 1 + remainderBits <= 32) {
              bits.write((1L << remainderBits) | remainder, (int) quotient + 1 + remainderBits);
            } else {
              bits.writeZeros(quotient);
              bits.write(1, 1);
              bits.write(remainder, remainderBits);
            }
          }
        }
        return bits.finish();
      }
      default -> throw new IllegalArgumentException("spike codec: unexpected " + choice.codec());
    }
  }

  /**
   * Decodes a payload; throws IllegalStateException when it is inconsistent (spike count, positions
   * beyond the frame, bytes left over), never returns a wrong frame silently.
   */
  public static SpikeFrame decode(
      PayloadCodec codec, int rows, int cols, byte[] in, int pos, int length) {
    int end = pos + length;
    VarInts.Reader header = new VarInts.Reader(in, pos, end);
    long count = header.read();
    long cells = (long) rows * cols;
    if (count > cells || count > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(
          "spike count " + count + " exceeds the " + cells + " cells of the frame");
    }
    long[] positions = new long[(int) count];
    switch (codec) {
      case BITMAP -> decodeBitmap(in, header.position(), end, cells, positions);
      case DELTA_VARINT -> {
        long previous = -1;
        for (int i = 0; i < count; i++) {
          previous += header.read() + 1;
          positions[i] = previous;
        }
        checkConsumed(header.position(), end);
      }
      case GOLOMB -> {
        long m = header.read();
        if (m < 1 || m > Integer.MAX_VALUE) {
          throw new IllegalStateException("Golomb parameter " + m + " out of range");
        }
        int b = 32 - Integer.numberOfLeadingZeros((int) m - 1);
        long shortCodes = (1L << b) - m;
        BitReader bits = new BitReader(in, header.position(), end);
        long previous = -1;
        for (int i = 0; i < count; i++) {
          long quotient = bits.readUnary();
          long remainder = 0;
          if (b > 0) {
            remainder = bits.read(b - 1);
            if (remainder >= shortCodes) {
              remainder = ((remainder << 1) | bits.read(1)) - shortCodes;
            }
          }
          previous += quotient * m + remainder + 1;
          positions[i] = previous;
        }
        checkConsumed(bits.position(), end);
        if (!bits.paddingIsZero()) {
          throw new IllegalStateException("non-zero padding after the last Golomb code");
        }
      }
      default -> throw new IllegalStateException("codec " + codec + " is not a spike codec");
    }
    return toFrame(rows, cols, positions);
  }

  /** Golomb parameter for density count/cells: ceil(log(2 - p) / -log(1 - p)), at least 1. */
  static int golombParameter(long count, long cells) {
    if (count == 0 || cells == 0) {
      return 1;
    }
    double p = (double) count / cells;
    if (p >= 0.5) {
      return 1;
    }
    double m = Math.ceil(Math.log(2 - p) / -Math.log1p(-p));
    return (int) Math.max(1, Math.min(m, 1 << 30));
  }

  private static void decodeBitmap(byte[] in, int pos, int end, long cells, long[] positions) {
    long bytes = (cells + 7) / 8;
    if (end - pos != bytes) {
      throw new IllegalStateException(
          "bitmap has " + (end - pos) + " bytes, expected " + bytes + " for " + cells + " cells");
    }
    int n = 0;
    for (int i = 0; i < bytes; i++) {
      int value = in[pos + i] & 0xFF;
      while (value != 0) {
        int bit = Integer.numberOfTrailingZeros(value);
        value &= value - 1;
        if (n == positions.length) {
          throw new IllegalStateException("bitmap holds more spikes than its count");
        }
        positions[n++] = 8L * i + bit;
      }
    }
    if (n != positions.length) {
      throw new IllegalStateException(
          "bitmap holds " + n + " spikes, expected " + positions.length);
    }
  }

  private static SpikeFrame toFrame(int rows, int cols, long[] positions) {
    int[] offsets = new int[rows + 1];
    int[] indices = new int[positions.length];
    int row = 0;
    long rowStart = 0;
    long cells = (long) rows * cols;
    long previous = -1;
    for (int i = 0; i < positions.length; i++) {
      long position = positions[i];
      if (position <= previous || position >= cells) {
        throw new IllegalStateException(
            "spike position " + position + " after " + previous + " in " + cells + " cells");
      }
      previous = position;
      while (position >= rowStart + cols) {
        offsets[++row] = i;
        rowStart += cols;
      }
      indices[i] = (int) (position - rowStart);
    }
    while (row < rows) {
      offsets[++row] = positions.length;
    }
    return new SpikeFrame(rows, cols, offsets, indices);
  }

  private static void checkConsumed(int position, int end) {
    if (position != end) {
      throw new IllegalStateException(
          "payload has " + (end - position) + " bytes left after the last spike");
    }
  }

  private static int checkedLength(long length) {
    if (length > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException(
          "spike frame: expected an encoded size below 2 GiB, got " + length);
    }
    return (int) length;
  }
}
