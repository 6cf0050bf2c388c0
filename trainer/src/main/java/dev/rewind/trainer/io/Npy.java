package dev.rewind.trainer.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0 and 2.0, C order).
 *
 * <p>Writing produces exactly the bytes {@code numpy.save} produces for a little-endian {@code
 * float32} ({@code '<f4'}) or {@code int32} ({@code '<i4'}) array: version 1.0 (2.0 only when the
 * header exceeds 65535 bytes), header padded to a multiple of 64 bytes. A file is written to a
 * temporary sibling, forced to disk and renamed, so readers never see a partial file.
 *
 * <p>Reading accepts {@code '<f4'} and {@code '<i4'}, and narrows two wider types: {@code '<f8'} is
 * rounded to the nearest float32 (as {@code astype(np.float32)}), except that a finite value beyond
 * the float32 range is an error, not an infinity; {@code '<i8'} is accepted only if every value
 * fits in int32, and the first that does not is an error naming its index. Anything else is a
 * {@link NpyFormatException} naming the file and the problem: a malformed magic string or header,
 * an unsupported version or dtype (big-endian {@code '>f4'}, {@code '|b1'}, structured), {@code
 * fortran_order: True}, fewer data bytes than the shape needs (truncated file) or more (trailing
 * bytes).
 */
public final class Npy {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int CHUNK_BYTES = 1 << 20;

  private Npy() {}

  /** Reads the array in {@code file}. */
  public static NpyArray read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > Integer.MAX_VALUE) {
        throw new NpyFormatException(
            file.toString(), "expected a file of at most 2 GiB, got " + size + " bytes");
      }
      ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
      return decode(bytes, file.toString());
    }
  }

  /**
   * Reads a float array from {@code file} ({@code '<f4'}, or {@code '<f8'} narrowed).
   *
   * @throws NpyFormatException also if the file holds integers
   */
  public static FloatTensor readFloat(Path file) throws IOException {
    return requireType(read(file), ElementType.FLOAT32, file.toString()).asFloat();
  }

  /**
   * Reads an int array from {@code file} ({@code '<i4'}, or {@code '<i8'} narrowed).
   *
   * @throws NpyFormatException also if the file holds floats
   */
  public static IntTensor readInt(Path file) throws IOException {
    return requireType(read(file), ElementType.INT32, file.toString()).asInt();
  }

  /** Writes {@code array} to {@code file} atomically, replacing any existing file. */
  public static void write(Path file, NpyArray array) throws IOException {
    AtomicFiles.write(file, channel -> writeTo(channel, array));
  }

  /**
   * Returns the bytes of {@code array} as a {@code .npy} file.
   *
   * @throws IllegalArgumentException if they would not fit in one byte array; use {@link #write}
   */
  public static byte[] encode(NpyArray array) {
    byte[] header = headerBytes(array);
    long total = header.length + 4L * array.size();
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "encode: expected at most " + (Integer.MAX_VALUE - 8) + " bytes, got " + total);
    }
    ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    out.put(header);
    putData(out, array, 0, array.size());
    return out.array();
  }

  /**
   * Reads the array encoded in {@code bytes}.
   *
   * @param source names the bytes' origin in error messages, as a file path
   */
  public static NpyArray decode(byte[] bytes, String source) throws NpyFormatException {
    return decode(ByteBuffer.wrap(bytes), source);
  }

  private static NpyArray decode(ByteBuffer bytes, String source) throws NpyFormatException {
    bytes.order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.remaining() < 10) {
      throw new NpyFormatException(
          source, "malformed: expected at least 10 bytes, got " + bytes.remaining());
    }
    byte[] magic = new byte[MAGIC.length];
    bytes.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new NpyFormatException(
          source, "malformed magic: expected \\x93NUMPY, got " + escape(magic));
    }
    int major = bytes.get() & 0xff;
    int minor = bytes.get() & 0xff;
    long headerLength;
    if (major == 1 && minor == 0) {
      headerLength = bytes.getShort() & 0xffff;
    } else if (major == 2 && minor == 0) {
      if (bytes.remaining() < 4) {
        throw new NpyFormatException(source, "malformed: truncated header length");
      }
      headerLength = bytes.getInt() & 0xffffffffL;
    } else {
      throw new NpyFormatException(
          source, "unsupported format version " + major + "." + minor + ": expected 1.0 or 2.0");
    }
    if (headerLength > bytes.remaining()) {
      throw new NpyFormatException(
          source,
          "malformed header: expected " + headerLength + " header bytes, got " + bytes.remaining());
    }
    byte[] headerBytes = new byte[(int) headerLength];
    bytes.get(headerBytes);
    NpyHeader header =
        NpyHeader.parse(new String(headerBytes, StandardCharsets.ISO_8859_1), source);
    NpyDtype dtype = NpyDtype.parse(header.descr(), source);
    int[] shape = header.shape();
    if (header.fortranOrder()) {
      throw new NpyFormatException(
          source,
          "fortran_order True is not supported: expected C order "
              + "(save np.ascontiguousarray(a) instead)");
    }
    long count = TensorShapes.elementCount(shape);
    if (count < 0) {
      throw new NpyFormatException(
          source,
          "shape "
              + Arrays.toString(shape)
              + ": expected at most "
              + Integer.MAX_VALUE
              + " elements");
    }
    long expected = count * dtype.itemSize();
    long actual = bytes.remaining();
    if (actual != expected) {
      throw new NpyFormatException(
          source,
          (actual < expected ? "truncated" : "trailing bytes")
              + ": expected "
              + expected
              + " data bytes for shape "
              + Arrays.toString(shape)
              + " of '"
              + dtype.descr()
              + "', got "
              + actual);
    }
    return readData(bytes, dtype, shape, (int) count, source);
  }

  private static NpyArray readData(
      ByteBuffer bytes, NpyDtype dtype, int[] shape, int count, String source)
      throws NpyFormatException {
    return switch (dtype) {
      case FLOAT32 -> {
        float[] data = new float[count];
        bytes.asFloatBuffer().get(data);
        yield new FloatTensor(shape, data);
      }
      case INT32 -> {
        int[] data = new int[count];
        bytes.asIntBuffer().get(data);
        yield new IntTensor(shape, data);
      }
      case FLOAT64 -> {
        float[] data = new float[count];
        for (int i = 0; i < count; i++) {
          double d = bytes.getDouble();
          data[i] = (float) d;
          if (Double.isFinite(d) && Float.isInfinite(data[i])) {
            throw new NpyFormatException(
                source,
                "'<f8' value " + d + " at index " + i + ": expected a value in float32 range");
          }
        }
        yield new FloatTensor(shape, data);
      }
      case INT64 -> {
        int[] data = new int[count];
        for (int i = 0; i < count; i++) {
          long v = bytes.getLong();
          if (v != (int) v) {
            throw new NpyFormatException(
                source,
                "'<i8' value " + v + " at index " + i + ": expected a value in int32 range");
          }
          data[i] = (int) v;
        }
        yield new IntTensor(shape, data);
      }
    };
  }

  private static NpyArray requireType(NpyArray array, ElementType type, String source)
      throws NpyFormatException {
    if (array.type() != type) {
      throw new NpyFormatException(
          source, "expected dtype '" + type.descr() + "', got '" + array.type().descr() + "'");
    }
    return array;
  }

  private static void writeTo(WritableByteChannel channel, NpyArray array) throws IOException {
    writeFully(channel, ByteBuffer.wrap(headerBytes(array)));
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    int perChunk = CHUNK_BYTES / 4;
    for (int from = 0; from < array.size(); from += perChunk) {
      chunk.clear();
      putData(chunk, array, from, Math.min(array.size(), from + perChunk));
      chunk.flip();
      writeFully(channel, chunk);
    }
  }

  private static void writeFully(WritableByteChannel channel, ByteBuffer buffer)
      throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** Puts elements [from, to) of {@code array} at {@code out}'s position, advancing it. */
  private static void putData(ByteBuffer out, NpyArray array, int from, int to) {
    int n = to - from;
    if (array instanceof FloatTensor f) {
      out.asFloatBuffer().put(f.data(), from, n);
    } else {
      out.asIntBuffer().put(array.asInt().data(), from, n);
    }
    out.position(out.position() + 4 * n);
  }

  private static byte[] headerBytes(NpyArray array) {
    NpyHeader header = new NpyHeader(array.type().descr(), false, array.shape());
    byte[] v1 = header.paddedBytes(10);
    if (v1.length <= 0xffff) {
      return withPrefix(v1, 1);
    }
    return withPrefix(header.paddedBytes(12), 2);
  }

  private static byte[] withPrefix(byte[] header, int major) {
    int prefix = major == 1 ? 10 : 12;
    ByteBuffer out = ByteBuffer.allocate(prefix + header.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) major).put((byte) 0);
    if (major == 1) {
      out.putShort((short) header.length);
    } else {
      out.putInt(header.length);
    }
    return out.put(header).array();
  }

  private static String escape(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      int c = b & 0xff;
      sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
    }
    return sb.toString();
  }
}
