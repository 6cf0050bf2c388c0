package dev.rewind.storage.format;

import dev.rewind.storage.CorruptFileException;
import dev.rewind.storage.UnsupportedFormatVersionException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The one header and footer of every Rewind file format (as Lucene's {@code CodecUtil} is for its
 * files): blobs, the optimizer state, the training state and the model data.
 *
 * <p>Layout: {@code tag:4 ASCII bytes, version:uint16, body, [footerMagic:int32 = ~tag],
 * crc32c:int32}, the numbers in the format's byte order. The CRC32C covers every byte before it. A
 * reader accepts the versions {@link Format#versionStart()} to {@link Format#versionCurrent()};
 * every failed check names the location and says what was expected and what was found.
 */
public final class Envelope {
  /** Bytes of the tag and the version. */
  public static final int HEADER_LENGTH = 6;

  private Envelope() {}

  /**
   * One file format.
   *
   * @param tag four ASCII characters that open every file of the format
   * @param name what a file of the format holds, as error messages say it ("optimizer state")
   * @param order byte order of the envelope's numbers; bodies written by {@link #write} and read by
   *     {@link #read} are big-endian whatever it is, as {@link DataOutputStream} writes
   * @param footerMagic whether the checksum is preceded by the inverted tag
   */
  public record Format(
      String tag,
      String name,
      int versionStart,
      int versionCurrent,
      ByteOrder order,
      boolean footerMagic) {
    public Format {
      if (tag.length() != 4 || !StandardCharsets.US_ASCII.newEncoder().canEncode(tag)) {
        throw new IllegalArgumentException("format tag: expected 4 ASCII characters, got " + tag);
      }
      if (versionStart < 0 || versionStart > versionCurrent || versionCurrent > 0xFFFF) {
        throw new IllegalArgumentException(
            "format "
                + tag
                + ": expected 0 <= versionStart <= versionCurrent <= 65535, got "
                + versionStart
                + " to "
                + versionCurrent);
      }
    }

    /** The tag's four bytes read as an int in the format's byte order. */
    public int magic() {
      return ByteBuffer.wrap(tag.getBytes(StandardCharsets.US_ASCII)).order(order).getInt();
    }

    public int footerLength() {
      return footerMagic ? 8 : 4;
    }
  }

  /** Writes a format's body to a stream. */
  @FunctionalInterface
  public interface BodyWriter {
    void write(DataOutputStream out) throws IOException;
  }

  /** Reads a format's body, written in {@code version}, from a stream. */
  @FunctionalInterface
  public interface BodyReader<T> {
    T read(DataInputStream in, int version) throws IOException;
  }

  /** Writes the header (tag, current version) at index 0; leaves position, limit and order. */
  public static void writeHeader(ByteBuffer image, Format format) {
    ByteBuffer out = image.duplicate().order(format.order());
    out.putInt(0, format.magic());
    out.putShort(4, (short) format.versionCurrent());
  }

  /** Writes the footer at the end of the image, from index 0 to the buffer's limit. */
  public static void writeFooter(ByteBuffer image, Format format) {
    ByteBuffer out = image.duplicate().order(format.order());
    int crcAt = out.limit() - 4;
    if (format.footerMagic()) {
      out.putInt(crcAt - 4, ~format.magic());
    }
    out.putInt(crcAt, crc(out, crcAt));
  }

  /**
   * Returns the header, the body {@code body} writes and the footer, as one image.
   *
   * @throws UncheckedIOException if {@code body} fails
   */
  public static byte[] write(Format format, BodyWriter body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(new byte[HEADER_LENGTH]);
      body.write(out);
      out.write(new byte[format.footerLength()]);
    } catch (IOException e) {
      // Memory cannot fail to take the bytes; this is the body's own failure (a value JSON
      // rejects).
      throw new UncheckedIOException(format.name() + ": could not encode the body", e);
    }
    ByteBuffer image = ByteBuffer.wrap(bytes.toByteArray());
    writeHeader(image, format);
    writeFooter(image, format);
    return image.array();
  }

  /**
   * Checks a whole image (header, footer, checksum), then reads its body with {@code body}, which
   * must consume it exactly.
   *
   * @throws CorruptFileException naming {@code location} and what is wrong
   */
  public static <T> T read(Format format, byte[] image, String location, BodyReader<T> body)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(image);
    int version = checkHeader(buffer, format, location);
    int minimum = HEADER_LENGTH + format.footerLength();
    if (image.length < minimum) {
      throw truncated(location, "at least " + minimum, image.length);
    }
    checkFooter(buffer, format, location);
    int bodyLength = image.length - minimum;
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(image, HEADER_LENGTH, bodyLength))) {
      T value = body.read(in, version);
      if (in.available() != 0) {
        throw new CorruptFileException(
            location,
            format.name() + ": expected end of data, got " + in.available() + " trailing bytes");
      }
      return value;
    } catch (EOFException e) {
      throw new CorruptFileException(location, format.name() + ": truncated body", e);
    }
  }

  /**
   * Checks the tag and the version of the image held from index 0 to the buffer's limit and returns
   * the version; reads with absolute indices.
   */
  public static int checkHeader(ByteBuffer image, Format format, String location)
      throws CorruptFileException {
    ByteBuffer in = image.duplicate().order(format.order());
    if (in.limit() < HEADER_LENGTH) {
      throw truncated(location, "at least " + (HEADER_LENGTH + format.footerLength()), in.limit());
    }
    int magic = in.getInt(0);
    if (magic != format.magic()) {
      throw new CorruptFileException(
          location,
          String.format(
              "not a Rewind %s (wrong magic): expected=0x%08x actual=0x%08x",
              format.name(), format.magic(), magic));
    }
    int version = in.getShort(4) & 0xFFFF;
    if (version < format.versionStart() || version > format.versionCurrent()) {
      throw new UnsupportedFormatVersionException(
          location, version, format.versionStart(), format.versionCurrent());
    }
    return version;
  }

  /**
   * Checks the footer magic and the checksum of the image held from index 0 to the buffer's limit,
   * which the caller has checked to be at least header plus footer long. A direct buffer is
   * checksummed in place.
   */
  public static void checkFooter(ByteBuffer image, Format format, String location)
      throws CorruptFileException {
    ByteBuffer in = image.duplicate().order(format.order());
    int crcAt = in.limit() - 4;
    if (format.footerMagic()) {
      int footerMagic = in.getInt(crcAt - 4);
      if (footerMagic != ~format.magic()) {
        throw new CorruptFileException(
            location,
            String.format(
                "bad footer magic: expected=0x%08x actual=0x%08x", ~format.magic(), footerMagic));
      }
    }
    int stored = in.getInt(crcAt);
    int actual = crc(in, crcAt);
    if (stored != actual) {
      throw new CorruptFileException(
          location,
          String.format("checksum failed: expected=0x%08x actual=0x%08x", stored, actual));
    }
  }

  /** The error for an image shorter than {@code expected} (a number or "at least n") bytes. */
  static CorruptFileException truncated(String location, Object expected, long actual) {
    return new CorruptFileException(
        location, "truncated: expected " + expected + " bytes, actual=" + actual);
  }

  private static int crc(ByteBuffer image, int length) {
    CRC32C crc = new CRC32C();
    crc.update(image.duplicate().limit(length).position(0));
    return (int) crc.getValue();
  }
}
