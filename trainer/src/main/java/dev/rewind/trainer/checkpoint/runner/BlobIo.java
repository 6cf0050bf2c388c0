package dev.rewind.trainer.checkpoint.runner;

import dev.rewind.storage.Blob;
import dev.rewind.storage.BlobKey;
import dev.rewind.storage.BlobStore;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Write-behind and read-ahead over a {@link BlobStore}: one background thread runs every put, get
 * and delete in submission order, so a read submitted after a write of the same key sees it. At
 * most {@code maxPendingWrites} writes are queued (the caller blocks beyond that), which bounds the
 * heap the queued blobs take. The time the caller spends waiting (for queue room or an unfinished
 * read) is counted as blocked time. A failed background write is rethrown at the next call.
 */
public final class BlobIo implements AutoCloseable {
  private final BlobStore store;
  private final ExecutorService thread;
  private final Semaphore writeRoom;
  private final ArrayDeque<Future<?>> writes = new ArrayDeque<>();
  private long blockedNanos;

  public BlobIo(BlobStore store, int maxPendingWrites) {
    if (maxPendingWrites < 1) {
      throw new IllegalArgumentException("pending writes: expected >= 1, got " + maxPendingWrites);
    }
    this.store = store;
    this.writeRoom = new Semaphore(maxPendingWrites);
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "rewind-blob-io");
              t.setDaemon(true);
              return t;
            });
  }

  public BlobStore store() {
    return store;
  }

  /** Queues the blobs for writing; returns once they are queued (not written). */
  public void put(List<BlobKey> keys, List<Blob> blobs) throws IOException {
    checkWrites();
    long start = System.nanoTime();
    try {
      writeRoom.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting to write " + keys);
    }
    blockedNanos += System.nanoTime() - start;
    writes.add(
        thread.submit(
            () -> {
              try {
                for (int i = 0; i < keys.size(); i++) {
                  store.put(keys.get(i), blobs.get(i));
                }
              } finally {
                writeRoom.release();
              }
              return null;
            }));
  }

  /** Starts reading the blobs in the background. */
  public Future<Blob[]> read(List<BlobKey> keys) throws IOException {
    checkWrites();
    return thread.submit(
        () -> {
          Blob[] out = new Blob[keys.size()];
          for (int i = 0; i < out.length; i++) {
            out[i] = store.get(keys.get(i));
          }
          return out;
        });
  }

  /** Waits for a read started by {@link #read}; the wait counts as blocked time. */
  public Blob[] await(Future<Blob[]> read) throws IOException {
    long start = System.nanoTime();
    try {
      return read.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for a read");
    } catch (ExecutionException e) {
      throw asIoException(e.getCause());
    } finally {
      blockedNanos += System.nanoTime() - start;
    }
  }

  /** Queues the deletion of the keys (after everything queued before). */
  public void delete(List<BlobKey> keys) throws IOException {
    checkWrites();
    writes.add(
        thread.submit(
            () -> {
              for (BlobKey key : keys) {
                store.delete(key);
              }
              return null;
            }));
  }

  /** Waits until everything queued has run; rethrows the first failure. */
  public void drain() throws IOException {
    long start = System.nanoTime();
    try {
      while (!writes.isEmpty()) {
        waitFor(writes.poll());
      }
    } finally {
      blockedNanos += System.nanoTime() - start;
    }
  }

  /** Nanoseconds the caller spent waiting for this I/O so far. */
  public long blockedNanos() {
    return blockedNanos;
  }

  private void checkWrites() throws IOException {
    while (!writes.isEmpty() && writes.peek().isDone()) {
      waitFor(writes.poll());
    }
  }

  private static void waitFor(Future<?> future) throws IOException {
    try {
      future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for a write");
    } catch (ExecutionException e) {
      throw asIoException(e.getCause());
    }
  }

  private static IOException asIoException(Throwable cause) {
    if (cause instanceof IOException io) {
      return io;
    }
    if (cause instanceof RuntimeException re) {
      throw re;
    }
    return new IOException(cause);
  }

  /** Stops the thread after the queued work; does not close the store. */
  @Override
  public void close() {
    thread.shutdown();
    writes.clear();
    try {
      thread.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
