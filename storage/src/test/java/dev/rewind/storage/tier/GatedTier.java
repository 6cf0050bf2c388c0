package dev.rewind.storage.tier;

import dev.rewind.storage.StoreFullException;
import dev.rewind.storage.TierMetrics;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/** A tier whose writes wait for permits the test hands out, and which counts reads. */
public final class GatedTier implements Tier {
  private final Tier delegate;
  private final Semaphore writePermits = new Semaphore(0);
  private final AtomicInteger reads = new AtomicInteger();

  public GatedTier(Tier delegate) {
    this.delegate = delegate;
  }

  public void allowWrites(int count) {
    writePermits.release(count);
  }

  public int reads() {
    return reads.get();
  }

  @Override
  public String name() {
    return "gated(" + delegate.name() + ")";
  }

  @Override
  public void write(String path, byte[] image) throws IOException {
    writePermits.acquireUninterruptibly();
    delegate.write(path, image);
  }

  @Override
  public byte[] read(String path) throws IOException {
    reads.incrementAndGet();
    return delegate.read(path);
  }

  @Override
  public boolean delete(String path) throws IOException {
    return delegate.delete(path);
  }

  @Override
  public boolean exists(String path) throws IOException {
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
  public List<TierMetrics> metrics() {
    return delegate.metrics();
  }

  @Override
  public void close() throws IOException {
    writePermits.release(Integer.MAX_VALUE / 2);
    delegate.close();
  }
}
