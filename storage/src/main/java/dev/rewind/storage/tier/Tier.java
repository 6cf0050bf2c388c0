package dev.rewind.storage.tier;

import dev.rewind.storage.BlobNotFoundException;
import dev.rewind.storage.StoreFullException;
import dev.rewind.storage.TierMetrics;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A place that holds complete blob images under relative paths (see {@code
 * BlobKey.relativePath()}); the storage SPI under {@code BlobStore}.
 *
 * <p>Contract: {@link #write} publishes atomically (a reader sees the old image, the new one, or
 * nothing, never a partial one; a failed write leaves nothing visible under the path) and takes
 * ownership of the array. {@link #read} returns the whole stored image (possibly damaged: the
 * caller verifies it; it may be the tier's own array, so callers never modify it) or throws {@link
 * BlobNotFoundException}. Paths are checked by {@link TierPaths} and never leave the tier's root.
 * {@link #close()} removes everything this tier wrote and releases its resources; later calls throw
 * {@link IllegalStateException}. Tiers are thread-safe.
 */
public interface Tier extends Closeable {

  /** A short description, e.g. {@code local:/data/rewind}. */
  String name();

  void write(String path, byte[] image) throws IOException;

  /**
   * Writes an image of exactly {@code length} bytes that {@code writer} puts into the buffer it is
   * given (from index 0 to its limit, {@code length}), with the guarantees of {@link #write(String,
   * byte[])}. The buffer may be the tier's own, reused once the write returns. Tiers that copy
   * images out (local disk) override this to spare an array; the default fills a new array and
   * passes it to {@link #write(String, byte[])}.
   */
  default void write(String path, int length, ImageWriter writer) throws IOException {
    byte[] image = new byte[length];
    writer.write(ByteBuffer.wrap(image));
    write(path, image);
  }

  byte[] read(String path) throws IOException;

  /**
   * Reads the image at {@code path} and returns what {@code reader} makes of it, the image being
   * the buffer's bytes from index 0 to its limit. The buffer may be the tier's own, reused once
   * {@code reader} returns: the reader must not modify it or keep it. Throws as {@link #read}.
   * Tiers that can read without building an array (local disk) override this; the default wraps
   * {@link #read}.
   */
  default <T> T read(String path, ImageReader<T> reader) throws IOException {
    return reader.read(ByteBuffer.wrap(read(path)));
  }

  /** Removes the image at {@code path}; returns whether there was one. */
  boolean delete(String path) throws IOException;

  boolean exists(String path) throws IOException;

  /** The full location of {@code path}, for error messages. */
  String location(String path);

  /** Throws if a write of {@code bytes} bytes to {@code path} would exceed a budget. */
  default void checkRoom(String path, long bytes) throws StoreFullException {}

  /** Hint that these paths will be read soon, in this order. */
  default void prefetch(List<String> paths) throws IOException {}

  /** Returns once every accepted write is published, or throws its failure. */
  default void flush() throws IOException {}

  /** Metrics of this tier and of the tiers it wraps, outermost first. */
  List<TierMetrics> metrics();

  /** What a caller of {@link #write(String, int, ImageWriter)} puts into the tier's buffer. */
  @FunctionalInterface
  interface ImageWriter {
    void write(ByteBuffer image) throws IOException;
  }

  /** What a caller of {@link #read(String, ImageReader)} does with an image while it is held. */
  @FunctionalInterface
  interface ImageReader<T> {
    T read(ByteBuffer image) throws IOException;
  }
}
