package dev.rewind.storage.tier;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Reusable direct buffers for reading blob files: a read goes from the page cache into one of them
 * in a single copy (a heap array would be filled through the JDK's own temporary direct buffer),
 * and a restore loop allocates nothing per blob. Keeps at most {@code maxBuffers} idle buffers of
 * at most {@code maxBufferBytes} each. Thread-safe: a buffer belongs to one caller between {@link
 * #take} and {@link #give}.
 */
final class DirectBufferPool {
  private static final int MIN_CAPACITY = 64 << 10;

  private final int maxBufferBytes;
  private final ArrayBlockingQueue<ByteBuffer> idle;

  DirectBufferPool(int maxBuffers, int maxBufferBytes) {
    if (maxBuffers < 1 || maxBufferBytes < MIN_CAPACITY) {
      throw new IllegalArgumentException(
          "direct buffer pool: expected maxBuffers >= 1 and maxBufferBytes >= "
              + MIN_CAPACITY
              + ", got "
              + maxBuffers
              + " and "
              + maxBufferBytes);
    }
    this.maxBufferBytes = maxBufferBytes;
    this.idle = new ArrayBlockingQueue<>(maxBuffers);
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
    ByteBuffer buffer = idle.poll();
    if (buffer == null || buffer.capacity() < size) {
      // A too-small idle buffer is dropped: the sizes a store reads settle quickly.
      buffer = ByteBuffer.allocateDirect(capacityFor(size));
    }
    buffer.clear().limit(size);
    return buffer;
  }

  /** Returns a buffer from {@link #take}; the caller must not use it any more. */
  void give(ByteBuffer buffer) {
    idle.offer(buffer);
  }

  /** Drops the idle buffers (their memory goes when they are collected). */
  void clear() {
    idle.clear();
  }

  /** Number of idle buffers, for tests. */
  int idleCount() {
    return idle.size();
  }

  private int capacityFor(int size) {
    int capacity = MIN_CAPACITY;
    while (capacity < size && capacity < maxBufferBytes) {
      capacity <<= 1;
    }
    return Math.min(Math.max(capacity, size), maxBufferBytes);
  }
}
