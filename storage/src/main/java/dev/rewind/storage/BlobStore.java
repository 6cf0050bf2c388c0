package dev.rewind.storage;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Named blobs in one tier or a composition of tiers: Rewind's off-chip memory.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #put} stores a copy of the blob under its key, replacing any previous one; the
 *       caller may reuse the blob's arrays as soon as it returns. Publication is atomic: no reader
 *       ever sees a partial blob. A store without room throws {@link StoreFullException} before
 *       storing anything.
 *   <li>{@link #get} returns exactly what was put, bit for bit, or throws: {@link
 *       BlobNotFoundException} when nothing is stored under the key, {@link CorruptFileException}
 *       (naming the location and what is wrong) when the stored bytes are damaged, truncated,
 *       foreign or of an unsupported version. It never returns wrong data.
 *   <li>A write-behind store reports a failed background write or read at the next call, as {@link
 *       StoreFailedException} with the original failure as its cause, and from then on refuses
 *       every call but {@link #close()}.
 *   <li>{@link #close()} stops the store's threads and removes everything the store wrote; any
 *       later call throws {@link IllegalStateException}.
 * </ul>
 *
 * <p>Stores are thread-safe.
 */
public interface BlobStore extends Closeable {

  void put(BlobKey key, Blob blob) throws IOException;

  Blob get(BlobKey key) throws IOException;

  /** Removes the blob; returns whether there was one. */
  boolean delete(BlobKey key) throws IOException;

  boolean exists(BlobKey key) throws IOException;

  /**
   * Announces keys that will be read soon, in this order, so a read-ahead store can load them in
   * the background. A hint only: synchronous stores ignore it.
   */
  void prefetch(List<BlobKey> keys) throws IOException;

  /** Returns once every blob put so far is published, or throws the failure of one. */
  void flush() throws IOException;

  /** Encoded bytes of the blobs this store put and has not deleted. */
  long storedBytes();

  StoreMetrics metrics();

  @Override
  void close() throws IOException;

  default FloatBlock getFloats(BlobKey key) throws IOException {
    return expect(key, get(key), FloatBlock.class);
  }

  /**
   * Reads a float blob into {@code into} when that array has exactly the blob's length, else into a
   * new array, and returns the array holding the values: a read that allocates nothing for the
   * values, for the training hot path. The blob's shape is the caller's to know.
   */
  default float[] getFloats(BlobKey key, float[] into) throws IOException {
    float[] values = getFloats(key).data();
    if (into != null && into.length == values.length) {
      System.arraycopy(values, 0, into, 0, values.length);
      return into;
    }
    return values;
  }

  default IntBlock getInts(BlobKey key) throws IOException {
    return expect(key, get(key), IntBlock.class);
  }

  default SpikeFrame getSpikes(BlobKey key) throws IOException {
    return expect(key, get(key), SpikeFrame.class);
  }

  default SparseFloats getSparseFloats(BlobKey key) throws IOException {
    return expect(key, get(key), SparseFloats.class);
  }

  default ByteBlock getBytes(BlobKey key) throws IOException {
    return expect(key, get(key), ByteBlock.class);
  }

  private static <T extends Blob> T expect(BlobKey key, Blob blob, Class<T> type) {
    if (!type.isInstance(blob)) {
      throw new IllegalArgumentException(
          "blob " + key + ": expected " + type.getSimpleName() + ", got " + blob.kind());
    }
    return type.cast(blob);
  }
}
