package dev.rewind.storage.format;

import dev.rewind.storage.BlobKind;
import dev.rewind.storage.CorruptBlobException;
import dev.rewind.storage.UnsupportedFormatVersionException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The one place that writes and checks blob headers and footers (as Lucene's CodecUtil does).
 *
 * <p>Layout, little-endian: {@code magic:int32, version:int16, kind:int8, codec:int8, rank:int8,
 * dims:int32[rank], payloadLength:int32, payload, footerMagic:int32, crc32c:int32}. The CRC32C
 * covers every byte before it. Readers accept versions {@link #VERSION_START} to {@link
 * #VERSION_CURRENT}.
 */
public final class BlobFormat {
  /** "RWND" as little-endian bytes. */
  public static final int MAGIC = 0x444E5752;

  public static final int FOOTER_MAGIC = ~MAGIC;
  public static final int VERSION_START = 1;
  public static final int VERSION_CURRENT = 1;
  public static final int MAX_RANK = 8;
  public static final int FOOTER_LENGTH = 8;

  static final int VERSION_OFFSET = 4;
  private static final int FIXED_HEADER = 13;

  private BlobFormat() {}

  /** Parsed and verified header of one blob image. */
  public record Header(
      BlobKind kind, PayloadCodec codec, int[] shape, int payloadOffset, int payloadLength) {}

  public static int headerLength(int rank) {
    return FIXED_HEADER + 4 * rank;
  }

  /** Total bytes of a blob with this rank and payload length. */
  public static long imageLength(int rank, long payloadLength) {
    return headerLength(rank) + payloadLength + FOOTER_LENGTH;
  }

  /** Allocates an image and writes its header; returns the image, payload starts at offset. */
  static byte[] newImage(BlobKind kind, PayloadCodec codec, int[] shape, int payloadLength) {
    long total = imageLength(shape.length, payloadLength);
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "blob: expected an encoded size below 2 GiB, got " + total + " bytes");
    }
    byte[] image = new byte[(int) total];
    ByteBuffer out = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(MAGIC);
    out.putShort((short) VERSION_CURRENT);
    out.put((byte) kind.id());
    out.put((byte) codec.id());
    out.put((byte) shape.length);
    for (int dim : shape) {
      out.putInt(dim);
    }
    out.putInt(payloadLength);
    return image;
  }

  /** Writes the footer (magic and CRC32C of everything before the CRC) at the image end. */
  static void writeFooter(byte[] image) {
    int footer = image.length - FOOTER_LENGTH;
    ByteBuffer out = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(footer, FOOTER_MAGIC);
    out.putInt(footer + 4, crc(image, footer + 4));
  }

  /**
   * Checks an image completely (magic, version, lengths, footer, checksum, kind and codec ids) and
   * returns its header.
   *
   * @throws CorruptBlobException naming {@code location} and what is wrong
   */
  public static Header verify(byte[] image, String location) throws CorruptBlobException {
    int length = image.length;
    if (length < 6) {
      throw new CorruptBlobException(
          location,
          "truncated: expected at least "
              + (FIXED_HEADER + FOOTER_LENGTH)
              + " bytes, actual="
              + length);
    }
    ByteBuffer in = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    int magic = in.getInt(0);
    if (magic != MAGIC) {
      throw new CorruptBlobException(
          location,
          String.format(
              "not a Rewind blob (wrong magic): expected=0x%08x actual=0x%08x", MAGIC, magic));
    }
    int version = in.getShort(VERSION_OFFSET) & 0xFFFF;
    if (version < VERSION_START || version > VERSION_CURRENT) {
      throw new UnsupportedFormatVersionException(
          location, version, VERSION_START, VERSION_CURRENT);
    }
    if (length < FIXED_HEADER + FOOTER_LENGTH) {
      throw truncated(location, FIXED_HEADER + FOOTER_LENGTH, length);
    }
    int rank = image[8] & 0xFF;
    if (rank > MAX_RANK) {
      throw new CorruptBlobException(
          location, "bad header: expected rank <= " + MAX_RANK + ", actual=" + rank);
    }
    int headerLength = headerLength(rank);
    if (length < headerLength + FOOTER_LENGTH) {
      throw truncated(location, headerLength + FOOTER_LENGTH, length);
    }
    int payloadLength = in.getInt(headerLength - 4);
    long expected = imageLength(rank, payloadLength & 0xFFFFFFFFL);
    if (payloadLength < 0 || expected > length) {
      throw truncated(location, expected, length);
    }
    if (expected < length) {
      throw new CorruptBlobException(
          location, "trailing bytes: expected " + expected + " bytes, actual=" + length);
    }
    int footerMagic = in.getInt(length - FOOTER_LENGTH);
    if (footerMagic != FOOTER_MAGIC) {
      throw new CorruptBlobException(
          location,
          String.format(
              "bad footer magic: expected=0x%08x actual=0x%08x", FOOTER_MAGIC, footerMagic));
    }
    int stored = in.getInt(length - 4);
    int actual = crc(image, length - 4);
    if (stored != actual) {
      throw new CorruptBlobException(
          location,
          String.format("checksum failed: expected=0x%08x actual=0x%08x", stored, actual));
    }
    BlobKind kind = BlobKind.fromId(image[6] & 0xFF);
    if (kind == null) {
      throw new CorruptBlobException(location, "bad header: unknown kind id " + image[6]);
    }
    PayloadCodec codec = PayloadCodec.fromId(image[7] & 0xFF);
    if (codec == null) {
      throw new CorruptBlobException(location, "bad header: unknown codec id " + image[7]);
    }
    int[] shape = new int[rank];
    for (int i = 0; i < rank; i++) {
      shape[i] = in.getInt(9 + 4 * i);
      if (shape[i] < 0) {
        throw new CorruptBlobException(
            location, "bad header: expected dimensions >= 0, actual=" + shape[i]);
      }
    }
    return new Header(kind, codec, shape, headerLength, payloadLength);
  }

  /** Rewrites the version field and the checksum; for tests that forge other versions. */
  static void forgeVersion(byte[] image, int version) {
    ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putShort(VERSION_OFFSET, (short) version);
    writeFooter(image);
  }

  private static CorruptBlobException truncated(String location, long expected, int actual) {
    return new CorruptBlobException(
        location, "truncated: expected " + expected + " bytes, actual=" + actual);
  }

  private static int crc(byte[] image, int length) {
    CRC32C crc = new CRC32C();
    crc.update(image, 0, length);
    return (int) crc.getValue();
  }
}
