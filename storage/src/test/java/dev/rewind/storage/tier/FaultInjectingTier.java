package dev.rewind.storage.tier;

import dev.rewind.storage.StoreFullException;
import dev.rewind.storage.TierMetrics;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Wraps a tier and damages what it returns or refuses what it is given, as Lucene's
 * MockDirectoryWrapper does: reads come back truncated or with one bit flipped, writes fail.
 */
public final class FaultInjectingTier implements Tier {
  /** What goes wrong. */
  public enum Fault {
    NONE,
    TRUNCATE,
    FLIP_BIT,
    FAIL_WRITE,
    FAIL_READ
  }

  public static final String WRITE_FAILURE = "injected write failure";
  public static final String READ_FAILURE = "injected read failure";

  private final Tier delegate;
  private final Random random;
  private volatile Fault fault = Fault.NONE;

  public FaultInjectingTier(Tier delegate, long seed) {
    this.delegate = delegate;
    this.random = new Random(seed);
  }

  public void inject(Fault fault) {
    this.fault = fault;
  }

  public Tier delegate() {
    return delegate;
  }

  @Override
  public String name() {
    return "faulty(" + delegate.name() + ")";
  }

  @Override
  public void write(String path, byte[] image) throws IOException {
    if (fault == Fault.FAIL_WRITE) {
      throw new IOException(WRITE_FAILURE + " for " + delegate.location(path));
    }
    delegate.write(path, image);
  }

  @Override
  public byte[] read(String path) throws IOException {
    if (fault == Fault.FAIL_READ) {
      throw new IOException(READ_FAILURE + " for " + delegate.location(path));
    }
    byte[] image = delegate.read(path);
    synchronized (random) {
      switch (fault) {
        case TRUNCATE:
          return Arrays.copyOf(image, random.nextInt(image.length));
        case FLIP_BIT:
          byte[] damaged = image.clone();
          damaged[random.nextInt(damaged.length)] ^= (byte) (1 << random.nextInt(8));
          return damaged;
        default:
          return image;
      }
    }
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
