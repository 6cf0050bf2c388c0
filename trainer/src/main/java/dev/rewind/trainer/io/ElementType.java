package dev.rewind.trainer.io;

/** The element types Rewind keeps in memory, with the NumPy dtype each is written as. */
public enum ElementType {
  /** 32-bit IEEE float, NumPy {@code '<f4'}. */
  FLOAT32("<f4"),
  /** 32-bit two's-complement integer, NumPy {@code '<i4'}. */
  INT32("<i4");

  private final String descr;

  ElementType(String descr) {
    this.descr = descr;
  }

  /** Returns the NumPy dtype string this type is written as, for example {@code "<f4"}. */
  public String descr() {
    return descr;
  }
}
