package dev.rewind.storage.tier;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

/**
 * Wraps a tier and damages what it returns or refuses what it is given, as Lucene's
 * MockDirectoryWrapper does: reads come back truncated or with one bit flipped, writes fail.
 * Without a fault, buffer reads go to the wrapped tier's own buffer path; with one, the damaged
 * image is handed over in a direct buffer, as a local disk tier would.
 */
public final class FaultInjectingTier extends ForwardingTier {
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

  private final Random random;
  private volatile Fault fault = Fault.NONE;

  public FaultInjectingTier(Tier delegate, long seed) {
    super(delegate);
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
  public void write(String path, int length, ImageWriter writer) throws IOException {
    if (fault == Fault.FAIL_WRITE) {
      throw new IOException(WRITE_FAILURE + " for " + delegate.location(path));
    }
    delegate.write(path, length, writer);
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
  public <T> T read(String path, ImageReader<T> reader) throws IOException {
    if (fault == Fault.NONE) {
      return delegate.read(path, reader);
    }
    byte[] image = read(path);
    return reader.read(ByteBuffer.allocateDirect(image.length).put(image).flip());
  }
}
