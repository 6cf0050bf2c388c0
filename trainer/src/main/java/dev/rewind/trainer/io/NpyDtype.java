package dev.rewind.trainer.io;

import java.util.Arrays;

/**
 * The NumPy dtypes Rewind reads. float64 and int64 are read-only and narrowed on read: see {@link
 * Npy} for the policy.
 */
enum NpyDtype {
  FLOAT32("<f4", 4, ElementType.FLOAT32),
  INT32("<i4", 4, ElementType.INT32),
  FLOAT64("<f8", 8, ElementType.FLOAT32),
  INT64("<i8", 8, ElementType.INT32);

  private final String descr;
  private final int itemSize;
  private final ElementType target;

  NpyDtype(String descr, int itemSize, ElementType target) {
    this.descr = descr;
    this.itemSize = itemSize;
    this.target = target;
  }

  String descr() {
    return descr;
  }

  int itemSize() {
    return itemSize;
  }

  /** The in-memory type this dtype is read as. */
  ElementType target() {
    return target;
  }

  static NpyDtype of(ElementType type) {
    return type == ElementType.FLOAT32 ? FLOAT32 : INT32;
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
