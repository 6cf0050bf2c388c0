package dev.rewind.storage.format;

/** How a blob's payload is encoded; its id is written in every header and never changes. */
public enum PayloadCodec {
  /** Values as little-endian bytes. */
  RAW(0),
  /** Raw bytes compressed with LZ4 (lz4-java, as shipped with Spark). */
  LZ4(1),
  /** Raw bytes compressed with zstd (zstd-jni, as shipped with Spark). */
  ZSTD(2),
  /** One bit per cell. */
  BITMAP(3),
  /** Gaps between consecutive set positions as unsigned LEB128 varints. */
  DELTA_VARINT(4),
  /** Gaps between consecutive set positions as Golomb codes, near the entropy bound. */
  GOLOMB(5);

  private final int id;

  PayloadCodec(int id) {
    this.id = id;
  }

  public int id() {
    return id;
  }

  /** The codec with this header id, or null when none has it. */
  public static PayloadCodec fromId(int id) {
    for (PayloadCodec codec : values()) {
      if (codec.id == id) {
        return codec;
      }
    }
    return null;
  }
}
