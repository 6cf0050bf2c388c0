package dev.rewind.storage.format;

import dev.rewind.storage.Blob;
import dev.rewind.storage.BlobKind;
import dev.rewind.storage.ByteBlock;
import dev.rewind.storage.CorruptFileException;
import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.IntBlock;
import dev.rewind.storage.SparseFloats;
import dev.rewind.storage.SpikeFrame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Turns blobs into complete blob images (header, payload, footer; see {@link BlobFormat}) and back.
 * Decoding verifies the image first, so it returns the stored blob or throws {@link
 * CorruptFileException}; it never returns wrong data. Thread-safe.
 */
public final class BlobCodec {
  private final DenseCodec dense;

  public BlobCodec(FloatCompression compression) {
    if (compression == null) {
      throw new IllegalArgumentException("blob codec: expected a compression, got null");
    }
    this.dense = new DenseCodec(compression);
  }

  /** Upper bound of {@code encode(blob).length}, computed without encoding. */
  public static long maxEncodedLength(Blob blob) {
    long payload =
        switch (blob.kind()) {
          case BYTES -> ((ByteBlock) blob).data().length;
          case FLOATS -> 4L * ((FloatBlock) blob).data().length;
          case INTS -> 4L * ((IntBlock) blob).data().length;
          case SPIKES -> SpikeCodec.bitmapLength((SpikeFrame) blob);
          case SPARSE_FLOATS -> 5 + 9L * ((SparseFloats) blob).indices().length;
        };
    return BlobFormat.imageLength(blob.shape().length, payload);
  }

  /**
   * The exact image length of {@code blob} when {@link #encodeInto} can write it straight into a
   * caller's buffer (uncompressed floats, the hot path), else -1.
   */
  public long directLength(Blob blob) {
    if (blob.kind() != BlobKind.FLOATS || dense.compresses()) {
      return -1;
    }
    long length =
        BlobFormat.imageLength(blob.shape().length, 4L * ((FloatBlock) blob).data().length);
    return length > Integer.MAX_VALUE - 16 ? -1 : length;
  }

  /**
   * Writes the image of a blob with {@link #directLength} >= 0 into {@code image}, from index 0 to
   * its limit, which must be that length: one copy of the values, then the checksum (in place for a
   * direct buffer). Leaves the buffer's position and limit as they are.
   */
  public void encodeInto(Blob blob, ByteBuffer image) {
    long length = directLength(blob);
    if (length < 0 || image.limit() != length) {
      throw new IllegalArgumentException(
          "encode into a buffer: expected uncompressed floats and a limit of "
              + length
              + " bytes, got "
              + blob.kind()
              + " and "
              + image.limit());
    }
    float[] data = ((FloatBlock) blob).data();
    int[] shape = blob.shape();
    BlobFormat.writeHeader(image, BlobKind.FLOATS, PayloadCodec.RAW, shape, 4 * data.length);
    int start = BlobFormat.headerLength(shape.length);
    image
        .duplicate()
        .limit(start + 4 * data.length)
        .position(start)
        .slice()
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .put(data);
    BlobFormat.writeFooter(image);
  }

  /** The complete image of {@code blob}; a new array of exactly its length. */
  public byte[] encode(Blob blob) {
    return switch (blob.kind()) {
      case BYTES -> rawImage(BlobKind.BYTES, blob.shape(), ((ByteBlock) blob).data());
      case FLOATS -> floatImage(blob.shape(), ((FloatBlock) blob).data());
      case INTS -> denseImage(BlobKind.INTS, blob.shape(), intBytes(((IntBlock) blob).data()));
      case SPIKES -> spikeImage((SpikeFrame) blob);
      case SPARSE_FLOATS -> sparseImage((SparseFloats) blob);
    };
  }

  /**
   * Verifies and decodes an image.
   *
   * @param location where the image was read from, for error messages
   */
  public Blob decode(byte[] image, String location) throws CorruptFileException {
    BlobFormat.Header header = BlobFormat.verify(image, location);
    Blob blob;
    try {
      blob = decodePayload(header, image);
    } catch (RuntimeException e) {
      throw new CorruptFileException(
          location,
          "invalid payload of kind " + header.kind() + " with codec " + header.codec(),
          e);
    }
    if (blob == null) {
      throw new CorruptFileException(
          location,
          "bad header: codec " + header.codec() + " is not valid for kind " + header.kind());
    }
    return blob;
  }

  /**
   * Verifies the image of a float blob and decodes its values into {@code into} when that array has
   * exactly the blob's length, else into a new array; returns the array holding the values.
   *
   * @throws IllegalArgumentException when the image holds another kind of blob
   */
  public float[] decodeFloats(byte[] image, String location, float[] into)
      throws CorruptFileException {
    return decodeFloats(ByteBuffer.wrap(image), location, into);
  }

  /**
   * As {@link #decodeFloats(byte[], String, float[])} for an image held in {@code image} from index
   * 0 to its limit (the buffer's position and limit are left as they are). A raw payload in a
   * direct buffer is checksummed in place and copied once, into the result.
   */
  public float[] decodeFloats(ByteBuffer image, String location, float[] into)
      throws CorruptFileException {
    BlobFormat.Header h = BlobFormat.verify(image, location);
    if (h.kind() != BlobKind.FLOATS) {
      throw new IllegalArgumentException(
          "blob at " + location + ": expected FLOATS, got " + h.kind());
    }
    try {
      long count = elements(h.shape());
      float[] values = into != null && into.length == count ? into : new float[(int) count];
      ByteBuffer raw;
      if (h.codec() == PayloadCodec.RAW) {
        checkLength(h.payloadLength(), 4 * count);
        raw = image.duplicate().limit(h.payloadOffset() + h.payloadLength());
        raw = raw.position(h.payloadOffset()).slice();
      } else if (h.codec() == PayloadCodec.LZ4 || h.codec() == PayloadCodec.ZSTD) {
        raw = ByteBuffer.wrap(decompressed(h, image, 4 * count));
      } else {
        throw new CorruptFileException(
            location, "bad header: codec " + h.codec() + " is not valid for kind FLOATS");
      }
      raw.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
      return values;
    } catch (RuntimeException e) {
      throw new CorruptFileException(
          location, "invalid payload of kind FLOATS with codec " + h.codec(), e);
    }
  }

  /** Decompressed payload of a compressed dense blob held in a buffer. */
  private byte[] decompressed(BlobFormat.Header h, ByteBuffer image, long rawLength) {
    if (image.hasArray()) {
      return dense.decompress(
          h.codec(),
          image.array(),
          image.arrayOffset() + h.payloadOffset(),
          h.payloadLength(),
          (int) rawLength);
    }
    byte[] payload = new byte[h.payloadLength()];
    image.get(h.payloadOffset(), payload);
    return dense.decompress(h.codec(), payload, 0, payload.length, (int) rawLength);
  }

  private Blob decodePayload(BlobFormat.Header h, byte[] image) {
    int[] shape = h.shape();
    int pos = h.payloadOffset();
    int length = h.payloadLength();
    switch (h.kind()) {
      case BYTES -> {
        checkRank(shape, 1, h);
        return h.codec() == PayloadCodec.RAW
            ? new ByteBlock(copy(image, pos, length, shape[0]))
            : null;
      }
      case FLOATS -> {
        long count = elements(shape);
        if (h.codec() == PayloadCodec.RAW) {
          checkLength(length, 4 * count);
          float[] data = new float[(int) count];
          ByteBuffer.wrap(image, pos, length)
              .slice()
              .order(ByteOrder.LITTLE_ENDIAN)
              .asFloatBuffer()
              .get(data);
          return new FloatBlock(shape, data);
        }
        byte[] raw = decompressed(h, image, 4 * count);
        if (raw == null) {
          return null;
        }
        float[] data = new float[(int) count];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        return new FloatBlock(shape, data);
      }
      case INTS -> {
        long count = elements(shape);
        byte[] raw =
            h.codec() == PayloadCodec.RAW
                ? copy(image, pos, length, 4 * count)
                : decompressed(h, image, 4 * count);
        if (raw == null) {
          return null;
        }
        int[] data = new int[(int) count];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(data);
        return new IntBlock(shape, data);
      }
      case SPIKES -> {
        checkRank(shape, 2, h);
        return switch (h.codec()) {
          case BITMAP, DELTA_VARINT, GOLOMB ->
              SpikeCodec.decode(h.codec(), shape[0], shape[1], image, pos, length);
          default -> null;
        };
      }
      case SPARSE_FLOATS -> {
        checkRank(shape, 1, h);
        return h.codec() == PayloadCodec.DELTA_VARINT
            ? SparseFloatCodec.decode(shape[0], image, pos, length)
            : null;
      }
      default -> throw new IllegalStateException("unexpected kind " + h.kind());
    }
  }

  /** Decompressed payload of a dense blob; null when the codec is not a compression codec. */
  private byte[] decompressed(BlobFormat.Header h, byte[] image, long rawLength) {
    if (h.codec() != PayloadCodec.LZ4 && h.codec() != PayloadCodec.ZSTD) {
      return null;
    }
    return dense.decompress(
        h.codec(), image, h.payloadOffset(), h.payloadLength(), (int) rawLength);
  }

  private byte[] floatImage(int[] shape, float[] data) {
    if (dense.compresses()) {
      return denseImage(BlobKind.FLOATS, shape, floatBytes(data));
    }
    // The common case writes values straight into the image: one copy, no scratch array.
    byte[] image = BlobFormat.newImage(BlobKind.FLOATS, PayloadCodec.RAW, shape, 4 * data.length);
    ByteBuffer.wrap(image, BlobFormat.headerLength(shape.length), 4 * data.length)
        .slice()
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .put(data);
    BlobFormat.writeFooter(image);
    return image;
  }

  private byte[] denseImage(BlobKind kind, int[] shape, byte[] raw) {
    DenseCodec.Compressed compressed = dense.compress(raw);
    if (compressed == null) {
      return rawImage(kind, shape, raw);
    }
    byte[] image = BlobFormat.newImage(kind, compressed.codec(), shape, compressed.length());
    System.arraycopy(
        compressed.bytes(), 0, image, BlobFormat.headerLength(shape.length), compressed.length());
    BlobFormat.writeFooter(image);
    return image;
  }

  private static byte[] rawImage(BlobKind kind, int[] shape, byte[] raw) {
    byte[] image = BlobFormat.newImage(kind, PayloadCodec.RAW, shape, raw.length);
    System.arraycopy(raw, 0, image, BlobFormat.headerLength(shape.length), raw.length);
    BlobFormat.writeFooter(image);
    return image;
  }

  private static byte[] spikeImage(SpikeFrame frame) {
    SpikeCodec.Choice choice = SpikeCodec.choose(frame);
    int[] shape = frame.shape();
    byte[] image =
        BlobFormat.newImage(BlobKind.SPIKES, choice.codec(), shape, choice.payloadLength());
    int start = BlobFormat.headerLength(shape.length);
    int end = SpikeCodec.encode(frame, choice, image, start);
    if (end - start != choice.payloadLength()) {
      throw new IllegalStateException(
          "spike codec wrote " + (end - start) + " bytes, planned " + choice.payloadLength());
    }
    BlobFormat.writeFooter(image);
    return image;
  }

  private static byte[] sparseImage(SparseFloats sparse) {
    int[] shape = sparse.shape();
    int payload = SparseFloatCodec.length(sparse);
    byte[] image =
        BlobFormat.newImage(BlobKind.SPARSE_FLOATS, PayloadCodec.DELTA_VARINT, shape, payload);
    SparseFloatCodec.encode(sparse, image, BlobFormat.headerLength(shape.length));
    BlobFormat.writeFooter(image);
    return image;
  }

  /** Float values as little-endian bytes. */
  static byte[] floatBytes(float[] data) {
    byte[] raw = new byte[4 * data.length];
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(data);
    return raw;
  }

  private static byte[] intBytes(int[] data) {
    byte[] raw = new byte[4 * data.length];
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(data);
    return raw;
  }

  private static byte[] copy(byte[] image, int pos, int length, long expected) {
    checkLength(length, expected);
    byte[] out = new byte[length];
    System.arraycopy(image, pos, out, 0, length);
    return out;
  }

  private static void checkLength(int length, long expected) {
    if (length != expected) {
      throw new IllegalStateException(
          "payload has " + length + " bytes, expected " + expected + " for the shape");
    }
  }

  private static long elements(int[] shape) {
    long n = 1;
    for (int dim : shape) {
      n *= dim;
      if (n > Integer.MAX_VALUE / 4) {
        throw new IllegalStateException("shape has too many elements");
      }
    }
    return n;
  }

  private static void checkRank(int[] shape, int rank, BlobFormat.Header h) {
    if (shape.length != rank) {
      throw new IllegalStateException(
          "expected rank " + rank + " for kind " + h.kind() + ", got " + shape.length);
    }
  }
}
