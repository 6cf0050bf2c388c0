package dev.rewind.storage;

/** What a blob holds; its id is written in every blob header and never changes. */
public enum BlobKind {
  BYTES(1),
  FLOATS(2),
  INTS(3),
  SPIKES(4),
  SPARSE_FLOATS(5);

  private final int id;

  BlobKind(int id) {
    this.id = id;
  }

  public int id() {
    return id;
  }

  /** The kind with this header id, or null when no kind has it. */
  public static BlobKind fromId(int id) {
    for (BlobKind kind : values()) {
      if (kind.id == id) {
        return kind;
      }
    }
    return null;
  }
}
