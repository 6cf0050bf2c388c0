package dev.rewind.storage.format;

/**
 * Whether dense float and int blocks are compressed. A compressed payload is kept only when it is
 * smaller than the raw one, so every option is lossless and never larger than {@link #NONE}.
 * Measured on membrane-potential-like data compression does not pay (docs/BENCHMARKS.md), hence the
 * default {@link #NONE}.
 */
public enum FloatCompression {
  NONE,
  LZ4,
  ZSTD
}
