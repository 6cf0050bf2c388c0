package dev.rewind.storage.tier;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/** A tier whose writes wait for permits the test hands out, and which counts reads. */
public final class GatedTier extends ForwardingTier {
  private final Semaphore writePermits = new Semaphore(0);
  private final AtomicInteger reads = new AtomicInteger();

  public GatedTier(Tier delegate) {
    super(delegate);
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
  public void close() throws IOException {
    writePermits.release(Integer.MAX_VALUE / 2);
    super.close();
  }
}
