package dev.rewind.trainer.io;

import java.util.Arrays;

/**
 * The NumPy dtypes Rewind reads. float64 and int64 are read-only and narrowed on read: see {@link
 * Npy} for the policy.
 */
enum NpyDtype {
  FLOAT32("<f4", 4),
  INT32("<i4", 4),
  FLOAT64("<f8", 8),
  INT64("<i8", 8);

  private final String descr;
  private final int itemSize;

  NpyDtype(String descr, int itemSize) {
    this.descr = descr;
    this.itemSize = itemSize;
  }

  String descr() {
    return descr;
  }

  int itemSize() {
    return itemSize;
  }

  /** Returns the dtype for {@code descr}, or throws naming the supported ones. */
  static NpyDtype parse(String descr, String source) throws NpyFormatException {
    for (NpyDtype d : values()) {
      if (d.descr.equals(descr)) {
        return d;
      }
    }
    throw new NpyFormatException(
        source,
        "unsupported dtype '"
            + descr
            + "': expected one of "
            + Arrays.stream(values()).map(d -> "'" + d.descr + "'").toList()
            + " (little-endian)");
  }
}
