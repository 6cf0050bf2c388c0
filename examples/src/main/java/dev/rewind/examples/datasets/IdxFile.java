package dev.rewind.examples.datasets;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An IDX file of unsigned bytes (the MNIST / Fashion-MNIST format): magic {@code 0x00 0x00 0x08
 * ndim}, then {@code ndim} big-endian int32 dimensions, then the values in row-major order. Files
 * whose name ends in {@code .gz} are decompressed on the fly. The header and the exact data length
 * are checked; any mismatch raises an {@link IOException} naming the file.
 *
 * @param dims the dimensions, outermost first (e.g. {@code [60000, 28, 28]})
 * @param values {@code product(dims)} unsigned bytes
 */
record IdxFile(int[] dims, byte[] values) {
  private static final int UNSIGNED_BYTE = 0x08;
  private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

  public IdxFile {
    dims = dims.clone();
    long n = 1;
    for (int d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "dims: expected non-negative sizes, got " + Arrays.toString(dims));
      }
      n *= d;
    }
    if (values.length != n) {
      throw new IllegalArgumentException(
          "values: expected "
              + n
              + " for dims "
              + Arrays.toString(dims)
              + ", got "
              + values.length);
    }
  }

  /** Number of items: the first dimension. */
  public int count() {
    return dims[0];
  }

  /** Values per item: the product of the other dimensions. */
  public int itemSize() {
    return count() == 0 ? 0 : values.length / count();
  }

  /** Value {@code i} as an int in [0, 255]. */
  public int unsigned(int i) {
    return values[i] & 0xFF;
  }

  @Override
  public int[] dims() {
    return dims.clone();
  }

  /** Reads and validates {@code file} (plain or gzip). */
  public static IdxFile read(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        InputStream buffered = new BufferedInputStream(raw, 1 << 16);
        InputStream in =
            file.getFileName().toString().endsWith(".gz")
                ? new GZIPInputStream(buffered, 1 << 16)
                : buffered) {
      return parse(file, new DataInputStream(in));
    } catch (ZipException e) {
      throw new IdxFormatException(file, "expected a gzip stream, got: " + e.getMessage());
    }
  }

  private static IdxFile parse(Path file, DataInputStream in) throws IOException {
    byte[] magic = new byte[4];
    readFully(file, in, magic, "the 4-byte magic number");
    if (magic[0] != 0 || magic[1] != 0) {
      throw new IdxFormatException(
          file,
          String.format(
              "expected magic 0x0000 0x08 ndim, got 0x%02x%02x%02x%02x",
              magic[0], magic[1], magic[2], magic[3]));
    }
    if (magic[2] != UNSIGNED_BYTE) {
      throw new IdxFormatException(
          file, String.format("expected element type 0x08 (unsigned byte), got 0x%02x", magic[2]));
    }
    int ndim = magic[3] & 0xFF;
    if (ndim < 1) {
      throw new IdxFormatException(file, "expected at least one dimension, got " + ndim);
    }
    int[] dims = new int[ndim];
    long n = 1;
    byte[] dim = new byte[4];
    for (int i = 0; i < ndim; i++) {
      readFully(file, in, dim, "dimension " + i + " of " + ndim);
      dims[i] =
          ((dim[0] & 0xFF) << 24)
              | ((dim[1] & 0xFF) << 16)
              | ((dim[2] & 0xFF) << 8)
              | (dim[3] & 0xFF);
      if (dims[i] < 0) {
        throw new IdxFormatException(
            file, "dimension " + i + ": expected a size < 2^31, got " + (dims[i] & 0xFFFFFFFFL));
      }
      n *= dims[i];
      if (n > MAX_VALUES) {
        throw new IdxFormatException(
            file, "expected at most " + MAX_VALUES + " values, got dims " + Arrays.toString(dims));
      }
    }
    byte[] values = new byte[(int) n];
    readFully(file, in, values, n + " data bytes for dims " + Arrays.toString(dims));
    if (in.read() != -1) {
      throw new IdxFormatException(
          file,
          "expected exactly " + n + " data bytes for dims " + Arrays.toString(dims) + ", got more");
    }
    return new IdxFile(dims, values);
  }

  private static void readFully(Path file, DataInputStream in, byte[] into, String what)
      throws IOException {
    try {
      in.readFully(into);
    } catch (EOFException e) {
      throw new IdxFormatException(file, "expected " + what + ", got end of file");
    }
  }

  /** A file that is not a well-formed unsigned-byte IDX file. */
  public static final class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    IdxFormatException(Path file, String message) {
      super(file + ": " + message);
    }
  }
}
