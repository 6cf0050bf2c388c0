package dev.rewind.storage.tier;

import dev.rewind.storage.StoreFullException;
import dev.rewind.storage.TierMetrics;
import java.io.IOException;
import java.util.List;

/**
 * A test tier around another one: bookkeeping calls go to the wrapped tier, and a subclass decides
 * what happens to reads and writes.
 */
abstract class ForwardingTier implements Tier {
  final Tier delegate;

  ForwardingTier(Tier delegate) {
    this.delegate = delegate;
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
    delegate.close();
  }
}
