package dev.rewind.storage.format;

import com.github.luben.zstd.Zstd;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/** Optional LZ4 / zstd compression of raw little-endian payloads. */
final class DenseCodec {
  private static final int ZSTD_LEVEL = 1;

  private final FloatCompression compression;
  private final LZ4Compressor lz4;
  private final LZ4SafeDecompressor lz4Decompressor;

  DenseCodec(FloatCompression compression) {
    this.compression = compression;
    LZ4Factory factory = LZ4Factory.fastestInstance();
    this.lz4 = factory.fastCompressor();
    this.lz4Decompressor = factory.safeDecompressor();
  }

  boolean compresses() {
    return compression != FloatCompression.NONE;
  }

  /**
   * Compresses {@code raw} with the configured codec. Returns null when compression is off or does
   * not make the payload smaller, so the caller stores it raw.
   */
  Compressed compress(byte[] raw) {
    switch (compression) {
      case NONE -> {
        return null;
      }
      case LZ4 -> {
        byte[] out = new byte[lz4.maxCompressedLength(raw.length)];
        int length = lz4.compress(raw, 0, raw.length, out, 0, out.length);
        return length < raw.length ? new Compressed(PayloadCodec.LZ4, out, length) : null;
      }
      case ZSTD -> {
        byte[] out = new byte[(int) Zstd.compressBound(raw.length)];
        long length = Zstd.compressByteArray(out, 0, out.length, raw, 0, raw.length, ZSTD_LEVEL);
        if (Zstd.isError(length)) {
          throw new IllegalStateException("zstd failed: " + Zstd.getErrorName(length));
        }
        return length < raw.length ? new Compressed(PayloadCodec.ZSTD, out, (int) length) : null;
      }
      default -> throw new IllegalStateException("unexpected compression " + compression);
    }
  }

  /** Decompresses exactly {@code rawLength} bytes or throws. */
  byte[] decompress(PayloadCodec codec, byte[] in, int pos, int length, int rawLength) {
    byte[] out = new byte[rawLength];
    long produced;
    if (codec == PayloadCodec.LZ4) {
      produced = lz4Decompressor.decompress(in, pos, length, out, 0, rawLength);
    } else if (codec == PayloadCodec.ZSTD) {
      produced = Zstd.decompressByteArray(out, 0, rawLength, in, pos, length);
      if (Zstd.isError(produced)) {
        throw new IllegalStateException("zstd failed: " + Zstd.getErrorName(produced));
      }
    } else {
      throw new IllegalStateException("codec " + codec + " is not a compression codec");
    }
    if (produced != rawLength) {
      throw new IllegalStateException("decompressed " + produced + " bytes, expected " + rawLength);
    }
    return out;
  }

  record Compressed(PayloadCodec codec, byte[] bytes, int length) {}
}
