package dev.rewind.storage;

/**
 * A typed payload a store can hold. Blobs are validated at construction. A store copies the arrays
 * of a blob during {@code put}, so the caller may reuse them as soon as {@code put} returns; {@code
 * get} returns fresh arrays.
 */
public sealed interface Blob permits ByteBlock, FloatBlock, IntBlock, SpikeFrame, SparseFloats {

  /** The most dimensions a blob's shape may have. */
  int MAX_RANK = 8;

  BlobKind kind();

  /** The logical shape written to the header. */
  int[] shape();
}
