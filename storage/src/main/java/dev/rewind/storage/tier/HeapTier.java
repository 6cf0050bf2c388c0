package dev.rewind.storage.tier;

import dev.rewind.storage.BlobNotFoundException;
import dev.rewind.storage.StoreFullException;
import dev.rewind.storage.TierMetrics;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Images held in the Java heap under a byte budget. A write that would exceed the budget fails with
 * {@link StoreFullException} before anything is stored; the budget may not exceed the heap's
 * maximum size, so the tier refuses rather than running the JVM out of memory.
 */
public final class HeapTier implements Tier {
  private final long budgetBytes;
  private final ConcurrentHashMap<String, byte[]> images = new ConcurrentHashMap<>();
  private final TierCounters counters = new TierCounters();
  private long usedBytes;
  private volatile boolean closed;

  public HeapTier(long budgetBytes) {
    long max = Runtime.getRuntime().maxMemory();
    if (budgetBytes <= 0 || budgetBytes > max) {
      throw new IllegalArgumentException(
          "heap tier budget: expected 1 to " + max + " bytes (the max heap), got " + budgetBytes);
    }
    this.budgetBytes = budgetBytes;
  }

  @Override
  public String name() {
    return "heap";
  }

  public long budgetBytes() {
    return budgetBytes;
  }

  public synchronized long usedBytes() {
    return usedBytes;
  }

  @Override
  public synchronized void checkRoom(String path, long bytes) throws StoreFullException {
    byte[] old = images.get(path);
    long needed = bytes - (old == null ? 0 : old.length);
    if (usedBytes + needed > budgetBytes) {
      throw new StoreFullException(
          String.format(
              "heap tier full writing %s: needed=%d bytes, used=%d, budget=%d",
              path, bytes, usedBytes, budgetBytes));
    }
  }

  @Override
  public synchronized void write(String path, byte[] image) throws StoreFullException {
    ensureOpen();
    TierPaths.check(path);
    long start = System.nanoTime();
    checkRoom(path, image.length);
    byte[] old = images.put(path, image);
    usedBytes += image.length - (old == null ? 0 : old.length);
    counters.wrote(image.length, System.nanoTime() - start);
  }

  @Override
  public byte[] read(String path) throws BlobNotFoundException {
    ensureOpen();
    long start = System.nanoTime();
    byte[] image = images.get(TierPaths.check(path));
    if (image == null) {
      throw new BlobNotFoundException(location(path));
    }
    counters.read(image.length, System.nanoTime() - start);
    return image;
  }

  @Override
  public synchronized boolean delete(String path) {
    ensureOpen();
    byte[] old = images.remove(TierPaths.check(path));
    if (old != null) {
      usedBytes -= old.length;
    }
    return old != null;
  }

  @Override
  public boolean exists(String path) {
    ensureOpen();
    return images.containsKey(TierPaths.check(path));
  }

  @Override
  public String location(String path) {
    return "heap:" + path;
  }

  @Override
  public List<TierMetrics> metrics() {
    return List.of(counters.snapshot(name(), TierMetrics.Role.STORAGE));
  }

  @Override
  public synchronized void close() {
    closed = true;
    images.clear();
    usedBytes = 0;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("heap tier is closed");
    }
  }
}
