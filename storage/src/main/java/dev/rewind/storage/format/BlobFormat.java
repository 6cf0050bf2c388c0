package dev.rewind.storage.format;

import dev.rewind.storage.Blob;
import dev.rewind.storage.BlobKind;
import dev.rewind.storage.CorruptFileException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Blob headers and footers: the {@link Envelope} of format {@link #FORMAT} around the blob's kind,
 * payload codec, shape and payload.
 *
 * <p>Layout, little-endian: {@code magic:int32, version:int16, kind:int8, codec:int8, rank:int8,
 * dims:int32[rank], payloadLength:int32, payload, footerMagic:int32, crc32c:int32}. The CRC32C
 * covers every byte before it. Readers accept versions {@link #VERSION_START} to {@link
 * #VERSION_CURRENT}.
 */
public final class BlobFormat {
  public static final int VERSION_START = 1;
  public static final int VERSION_CURRENT = 1;

  /** "RWND", little-endian, with a footer magic. */
  public static final Envelope.Format FORMAT =
      new Envelope.Format(
          "RWND", "blob", VERSION_START, VERSION_CURRENT, ByteOrder.LITTLE_ENDIAN, true);

  public static final int MAX_RANK = Blob.MAX_RANK;
  public static final int FOOTER_LENGTH = 8;

  static final int VERSION_OFFSET = 4;
  private static final int FIXED_HEADER = Envelope.HEADER_LENGTH + 7;

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
    writeHeader(ByteBuffer.wrap(image), kind, codec, shape, payloadLength);
    return image;
  }

  /** Writes a header at index 0 of {@code image}; leaves its position, limit and order. */
  static void writeHeader(
      ByteBuffer image, BlobKind kind, PayloadCodec codec, int[] shape, int payloadLength) {
    Envelope.writeHeader(image, FORMAT);
    ByteBuffer out =
        image.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(Envelope.HEADER_LENGTH);
    out.put((byte) kind.id());
    out.put((byte) codec.id());
    out.put((byte) shape.length);
    for (int dim : shape) {
      out.putInt(dim);
    }
    out.putInt(payloadLength);
  }

  /** Writes the footer (magic and CRC32C of everything before the CRC) at the image end. */
  static void writeFooter(byte[] image) {
    writeFooter(ByteBuffer.wrap(image));
  }

  /** As {@link #writeFooter(byte[])} for an image from index 0 to the buffer's limit. */
  static void writeFooter(ByteBuffer image) {
    Envelope.writeFooter(image, FORMAT);
  }

  /**
   * Checks an image completely (magic, version, lengths, footer, checksum, kind and codec ids) and
   * returns its header.
   *
   * @throws CorruptFileException naming {@code location} and what is wrong
   */
  public static Header verify(byte[] image, String location) throws CorruptFileException {
    return verify(ByteBuffer.wrap(image), location);
  }

  /**
   * Checks the image held in {@code image} from index 0 to its limit, as {@link #verify(byte[],
   * String)} does; reads with absolute indices, so the buffer's position, limit and order are left
   * as they are. A direct buffer is checksummed in place.
   */
  public static Header verify(ByteBuffer image, String location) throws CorruptFileException {
    int length = image.limit();
    Envelope.checkHeader(image, FORMAT, location);
    ByteBuffer in = image.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (length < FIXED_HEADER + FOOTER_LENGTH) {
      throw truncated(location, FIXED_HEADER + FOOTER_LENGTH, length);
    }
    int rank = in.get(8) & 0xFF;
    if (rank > MAX_RANK) {
      throw new CorruptFileException(
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
      throw new CorruptFileException(
          location, "trailing bytes: expected " + expected + " bytes, actual=" + length);
    }
    Envelope.checkFooter(image, FORMAT, location);
    BlobKind kind = BlobKind.fromId(in.get(6) & 0xFF);
    if (kind == null) {
      throw new CorruptFileException(location, "bad header: unknown kind id " + in.get(6));
    }
    PayloadCodec codec = PayloadCodec.fromId(in.get(7) & 0xFF);
    if (codec == null) {
      throw new CorruptFileException(location, "bad header: unknown codec id " + in.get(7));
    }
    int[] shape = new int[rank];
    for (int i = 0; i < rank; i++) {
      shape[i] = in.getInt(9 + 4 * i);
      if (shape[i] < 0) {
        throw new CorruptFileException(
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

  private static CorruptFileException truncated(String location, long expected, int actual) {
    return Envelope.truncated(location, expected, actual);
  }
}
