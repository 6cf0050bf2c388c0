package dev.rewind.storage.tier;

import dev.rewind.storage.BlobNotFoundException;
import dev.rewind.storage.StoreFailedException;
import dev.rewind.storage.StoreFullException;
import dev.rewind.storage.TierMetrics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Write-behind and read-ahead over another tier, with one writer thread and one reader thread.
 *
 * <p>Writes and deletes are queued in order and applied by the writer thread; the queue holds at
 * most {@code queueBytes} of images (one larger image is accepted into an empty queue), and a write
 * that does not fit blocks the caller until there is room (backpressure; the wait is counted as
 * blocked time). Reads, {@code exists} and deletes see queued operations, so the tier behaves as if
 * every write had completed. {@link #prefetch} queues paths that the reader thread loads into a
 * cache of at most {@code cacheBytes} (plus one image); a read of a prefetched path takes it from
 * the cache, waiting if it is being loaded. Cached images stay until read, deleted or overwritten.
 *
 * <p>Its own metrics count writes accepted into the queue, reads served from memory (queue or
 * cache) and the time callers were blocked; the wrapped tier's metrics count the actual I/O.
 *
 * <p>A failure of a background write or read (other than a prefetched path that does not exist,
 * which is reported when that path is read) is kept and thrown at the next call as {@link
 * StoreFailedException} with the failure as cause; the tier then refuses every call but {@link
 * #close()}. Closing discards queued work (close removes everything anyway), stops and joins both
 * threads, and closes the wrapped tier.
 */
public final class AsyncTier implements Tier {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** Thread names start with this, so tests can check that none outlives its tier. */
  public static final String THREAD_PREFIX = "rewind-store-";

  private final Tier delegate;
  private final long queueCapacity;
  private final long cacheCapacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Operation> writes = new ArrayDeque<>();
  private final Map<String, Operation> pending = new HashMap<>();
  private final ArrayDeque<Prefetch> toLoad = new ArrayDeque<>();
  private final Map<String, Prefetch> prefetched = new HashMap<>();
  private final TierCounters counters = new TierCounters();
  private final Thread writer;
  private final Thread reader;
  private long queuedBytes;
  private long cachedBytes;
  private IOException failure;
  private boolean closed;

  /**
   * @param delegate the tier that holds the data; owned by this tier from now on
   * @param queueBytes bound of queued write images, > 0
   * @param cacheBytes bound of read-ahead images, > 0
   */
  public AsyncTier(Tier delegate, long queueBytes, long cacheBytes) {
    if (delegate == null) {
      throw new IllegalArgumentException("async tier: expected a tier to wrap, got null");
    }
    if (queueBytes <= 0 || cacheBytes <= 0) {
      throw new IllegalArgumentException(
          "async tier: expected queueBytes > 0 and cacheBytes > 0, got "
              + queueBytes
              + " and "
              + cacheBytes);
    }
    this.delegate = delegate;
    this.queueCapacity = queueBytes;
    this.cacheCapacity = cacheBytes;
    int id = INSTANCES.incrementAndGet();
    this.writer = new Thread(this::writeLoop, THREAD_PREFIX + "writer-" + id);
    this.reader = new Thread(this::readLoop, THREAD_PREFIX + "reader-" + id);
    writer.setDaemon(true);
    reader.setDaemon(true);
    writer.start();
    reader.start();
  }

  @Override
  public String name() {
    return "async(" + delegate.name() + ")";
  }

  @Override
  public void write(String path, byte[] image) throws IOException {
    TierPaths.check(path);
    lock.lock();
    try {
      ensureUsable();
      long start = System.nanoTime();
      while (queuedBytes > 0 && queuedBytes + image.length > queueCapacity) {
        changed.awaitUninterruptibly();
        ensureUsable();
      }
      counters.blocked(System.nanoTime() - start);
      forgetPrefetch(path);
      enqueue(new Operation(path, image));
      counters.wrote(image.length, 0);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public byte[] read(String path) throws IOException {
    byte[] held = heldImage(path);
    if (held != null) {
      return held;
    }
    long start = System.nanoTime();
    try {
      return delegate.read(path);
    } finally {
      counters.blocked(System.nanoTime() - start);
    }
  }

  @Override
  public <T> T read(String path, ImageReader<T> reader) throws IOException {
    byte[] held = heldImage(path);
    if (held != null) {
      return reader.read(ByteBuffer.wrap(held));
    }
    long start = System.nanoTime();
    long[] readerNanos = new long[1];
    try {
      return delegate.read(
          path,
          image -> {
            long begin = System.nanoTime();
            try {
              return reader.read(image);
            } finally {
              readerNanos[0] = System.nanoTime() - begin;
            }
          });
    } finally {
      // The caller's own work on the image is not time blocked on this tier.
      counters.blocked(System.nanoTime() - start - readerNanos[0]);
    }
  }

  /** The image of {@code path} when it is queued or read ahead, else null. */
  private byte[] heldImage(String path) throws IOException {
    TierPaths.check(path);
    lock.lock();
    try {
      ensureUsable();
      Operation queued = pending.get(path);
      if (queued != null) {
        if (queued.image == null) {
          throw new BlobNotFoundException(location(path));
        }
        counters.read(queued.image.length, 0);
        return queued.image;
      }
      Prefetch entry = prefetched.remove(path);
      if (entry != null) {
        long start = System.nanoTime();
        while (entry.state == Prefetch.State.LOADING) {
          changed.awaitUninterruptibly();
          ensureUsable();
        }
        counters.blocked(System.nanoTime() - start);
        entry.cancelled = true;
        if (entry.state == Prefetch.State.LOADED) {
          cachedBytes -= entry.image.length;
          changed.signalAll();
          counters.read(entry.image.length, 0);
          return entry.image;
        }
        if (entry.state == Prefetch.State.MISSING) {
          throw new BlobNotFoundException(location(path));
        }
      }
    } finally {
      lock.unlock();
    }
    return null;
  }

  @Override
  public boolean delete(String path) throws IOException {
    TierPaths.check(path);
    lock.lock();
    try {
      ensureUsable();
      forgetPrefetch(path);
      Operation queued = pending.get(path);
      boolean existed = queued != null ? queued.image != null : delegate.exists(path);
      enqueue(new Operation(path, null));
      return existed;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean exists(String path) throws IOException {
    TierPaths.check(path);
    lock.lock();
    try {
      ensureUsable();
      Operation queued = pending.get(path);
      if (queued != null) {
        return queued.image != null;
      }
    } finally {
      lock.unlock();
    }
    return delegate.exists(path);
  }

  @Override
  public String location(String path) {
    return delegate.location(path);
  }

  @Override
  public void checkRoom(String path, long bytes) throws StoreFullException {
    delegate.checkRoom(path, bytes);
  }

  @Override
  public void prefetch(List<String> paths) throws IOException {
    for (String path : paths) {
      TierPaths.check(path);
    }
    lock.lock();
    try {
      ensureUsable();
      for (String path : paths) {
        if (!pending.containsKey(path) && !prefetched.containsKey(path)) {
          Prefetch entry = new Prefetch(path);
          prefetched.put(path, entry);
          toLoad.add(entry);
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void flush() throws IOException {
    lock.lock();
    try {
      ensureUsable();
      long start = System.nanoTime();
      while (!writes.isEmpty()) {
        changed.awaitUninterruptibly();
        ensureUsable();
      }
      counters.blocked(System.nanoTime() - start);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<TierMetrics> metrics() {
    List<TierMetrics> all = new ArrayList<>();
    all.add(counters.snapshot(name(), TierMetrics.Role.WRITE_BEHIND));
    all.addAll(delegate.metrics());
    return all;
  }

  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      writes.clear();
      pending.clear();
      toLoad.clear();
      prefetched.clear();
      queuedBytes = 0;
      cachedBytes = 0;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    for (Thread thread : new Thread[] {writer, reader}) {
      while (thread.isAlive()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    delegate.close();
  }

  private void enqueue(Operation operation) {
    writes.add(operation);
    pending.put(operation.path, operation);
    queuedBytes += operation.length();
    changed.signalAll();
  }

  private void forgetPrefetch(String path) {
    Prefetch entry = prefetched.remove(path);
    if (entry != null) {
      entry.cancelled = true;
      if (entry.state == Prefetch.State.LOADED) {
        cachedBytes -= entry.image.length;
        changed.signalAll();
      }
    }
  }

  private void ensureUsable() throws StoreFailedException {
    if (closed) {
      throw new IllegalStateException("async tier over " + delegate.name() + " is closed");
    }
    if (failure != null) {
      throw new StoreFailedException(failure.getMessage(), failure);
    }
  }

  private void writeLoop() {
    while (true) {
      Operation operation;
      lock.lock();
      try {
        while (writes.isEmpty() && !closed) {
          changed.awaitUninterruptibly();
        }
        if (closed) {
          return;
        }
        operation = writes.peek();
      } finally {
        lock.unlock();
      }
      IOException error = null;
      try {
        if (operation.image != null) {
          delegate.write(operation.path, operation.image);
        } else {
          delegate.delete(operation.path);
        }
      } catch (Exception | Error e) {
        error =
            new IOException(
                "background "
                    + (operation.image != null ? "write" : "delete")
                    + " of "
                    + delegate.location(operation.path)
                    + " failed: "
                    + e,
                e);
      }
      lock.lock();
      try {
        if (closed) {
          return;
        }
        writes.poll();
        pending.remove(operation.path, operation);
        queuedBytes -= operation.length();
        if (error != null && failure == null) {
          failure = error;
          writes.clear();
          pending.clear();
          queuedBytes = 0;
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private void readLoop() {
    while (true) {
      Prefetch entry;
      lock.lock();
      try {
        while (!closed && (toLoad.isEmpty() || cachedBytes >= cacheCapacity)) {
          changed.awaitUninterruptibly();
        }
        if (closed) {
          return;
        }
        entry = toLoad.poll();
        if (entry.cancelled || pending.containsKey(entry.path)) {
          prefetched.remove(entry.path, entry);
          continue;
        }
        entry.state = Prefetch.State.LOADING;
      } finally {
        lock.unlock();
      }
      byte[] image = null;
      IOException error = null;
      boolean missing = false;
      try {
        image = delegate.read(entry.path);
      } catch (BlobNotFoundException e) {
        missing = true;
      } catch (Exception | Error e) {
        error =
            new IOException(
                "background read of " + delegate.location(entry.path) + " failed: " + e, e);
      }
      lock.lock();
      try {
        if (error != null) {
          entry.state = Prefetch.State.FAILED;
          if (failure == null && !closed) {
            failure = error;
          }
        } else if (missing) {
          entry.state = Prefetch.State.MISSING;
        } else {
          entry.image = image;
          entry.state = Prefetch.State.LOADED;
          if (!entry.cancelled) {
            cachedBytes += image.length;
          }
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** A queued write (image set) or delete (image null). */
  private static final class Operation {
    final String path;
    final byte[] image;

    Operation(String path, byte[] image) {
      this.path = path;
      this.image = image;
    }

    long length() {
      return image == null ? 0 : image.length;
    }
  }

  /** A path the reader thread loads ahead of its read. */
  private static final class Prefetch {
    enum State {
      QUEUED,
      LOADING,
      LOADED,
      MISSING,
      FAILED
    }

    final String path;
    State state = State.QUEUED;
    byte[] image;
    boolean cancelled;

    Prefetch(String path) {
      this.path = path;
    }
  }
}
