package dev.rewind.storage.tier;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Reusable direct buffers for reading blob files: a read goes from the page cache into one of them
 * in a single copy (a heap array would be filled through the JDK's own temporary direct buffer,
 * which is not page-aligned), and a restore loop allocates nothing per blob. Hands out buffers of
 * at most {@code maxBufferBytes} and keeps at most {@code maxIdleBytes} of idle ones. Thread-safe:
 * a buffer belongs to one caller between {@link #take} and {@link #give}.
 */
final class DirectBufferPool {
  private static final int MIN_CAPACITY = 64 << 10;

  /**
   * Buffers shared by every local disk and pack tier in the JVM (as the JDK shares its temporary
   * direct buffers), so a store opened per task reuses the buffers of the previous one: images up
   * to 64 MiB go through them, larger ones through arrays; 256 MiB of idle buffers at most.
   */
  static final DirectBufferPool SHARED = new DirectBufferPool(64 << 20, 256 << 20);

  private static final int PAGE = 4096;

  private final int maxBufferBytes;
  private final long maxIdleBytes;
  private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();
  private long idleBytes;

  DirectBufferPool(int maxBufferBytes, long maxIdleBytes) {
    if (maxBufferBytes < MIN_CAPACITY || maxIdleBytes < maxBufferBytes) {
      throw new IllegalArgumentException(
          "direct buffer pool: expected maxBufferBytes >= "
              + MIN_CAPACITY
              + " and maxIdleBytes >= maxBufferBytes, got "
              + maxBufferBytes
              + " and "
              + maxIdleBytes);
    }
    this.maxBufferBytes = maxBufferBytes;
    this.maxIdleBytes = maxIdleBytes;
  }

  /** The largest buffer this pool hands out; larger images are read some other way. */
  int maxBufferBytes() {
    return maxBufferBytes;
  }

  /** A buffer with position 0 and limit {@code size}, its contents undefined. */
  ByteBuffer take(int size) {
    if (size < 0 || size > maxBufferBytes) {
      throw new IllegalArgumentException(
          "direct buffer: expected 0 to " + maxBufferBytes + " bytes, got " + size);
    }
    ByteBuffer buffer;
    synchronized (this) {
      buffer = idle.pollLast();
      if (buffer != null) {
        idleBytes -= buffer.capacity();
      }
    }
    if (buffer == null || buffer.capacity() < size) {
      // A too-small idle buffer is dropped: the sizes a store reads settle quickly.
      // Page-aligned: the kernel copies into an aligned destination up to 1.6 x faster here.
      int capacity = capacityFor(size);
      buffer =
          ByteBuffer.allocateDirect(capacity + PAGE).alignedSlice(PAGE).limit(capacity).slice();
    }
    buffer.clear().limit(size);
    return buffer;
  }

  /**
   * Fills a pooled buffer of {@code length} bytes with {@code writer} and hands it to {@code sink}
   * (position 0, limit {@code length}), then takes it back: a write with no array and no copy
   * through a JDK buffer. Returns false, doing nothing, when the image is larger than this pool's
   * buffers.
   */
  boolean writeThrough(String path, int length, Tier.ImageWriter writer, ImageSink sink)
      throws IOException {
    if (length < 0) {
      throw new IllegalArgumentException(
          "write " + path + ": expected an image length >= 0, got " + length);
    }
    if (length > maxBufferBytes) {
      return false;
    }
    ByteBuffer buffer = take(length);
    try {
      writer.write(buffer);
      sink.accept(buffer.duplicate().limit(length).position(0));
    } finally {
      give(buffer);
    }
    return true;
  }

  /** What {@link #writeThrough} does with the filled image. */
  @FunctionalInterface
  interface ImageSink {
    void accept(ByteBuffer image) throws IOException;
  }

  /** Returns a buffer from {@link #take}; the caller must not use it any more. */
  synchronized void give(ByteBuffer buffer) {
    if (idleBytes + buffer.capacity() <= maxIdleBytes) {
      idle.addLast(buffer);
      idleBytes += buffer.capacity();
    }
  }

  /** Number of idle buffers, for tests. */
  synchronized int idleCount() {
    return idle.size();
  }

  /**
   * The size rounded up to an eighth of its power of two (at least 64 KiB), so sizes that differ a
   * little share buffers without doubling memory.
   */
  private int capacityFor(int size) {
    int step = Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(size, 1)) >> 3);
    long rounded = ((long) size + step - 1) / step * step;
    return (int) Math.min(Math.max(rounded, MIN_CAPACITY), maxBufferBytes);
  }
}
