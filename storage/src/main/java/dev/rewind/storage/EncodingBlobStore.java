package dev.rewind.storage;

import dev.rewind.storage.format.BlobCodec;
import dev.rewind.storage.tier.Tier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** A {@link BlobStore} that encodes blobs with a {@link BlobCodec} and keeps them in a tier. */
final class EncodingBlobStore implements BlobStore {
  private final Tier tier;
  private final BlobCodec codec;
  private final ConcurrentHashMap<BlobKey, Integer> sizes = new ConcurrentHashMap<>();
  private final AtomicLong storedBytes = new AtomicLong();
  private final LongAdder blockedNanos = new LongAdder();
  private volatile boolean closed;

  EncodingBlobStore(Tier tier, BlobCodec codec) {
    if (tier == null || codec == null) {
      throw new IllegalArgumentException(
          "blob store: expected a tier and a codec, got " + tier + ", " + codec);
    }
    this.tier = tier;
    this.codec = codec;
  }

  @Override
  public void put(BlobKey key, Blob blob) throws IOException {
    ensureOpen();
    if (key == null || blob == null) {
      throw new IllegalArgumentException(
          "put: expected a key and a blob, got " + key + ", " + blob);
    }
    String path = key.relativePath();
    long start = System.nanoTime();
    tier.checkRoom(path, BlobCodec.maxEncodedLength(blob));
    blockedNanos.add(System.nanoTime() - start);
    byte[] image = codec.encode(blob);
    start = System.nanoTime();
    try {
      tier.write(path, image);
    } finally {
      blockedNanos.add(System.nanoTime() - start);
    }
    Integer previous = sizes.put(key, image.length);
    storedBytes.addAndGet(image.length - (previous == null ? 0 : previous));
  }

  @Override
  public Blob get(BlobKey key) throws IOException {
    ensureOpen();
    String path = key.relativePath();
    return codec.decode(read(path), tier.location(path) + " (key " + key + ")");
  }

  private byte[] read(String path) throws IOException {
    long start = System.nanoTime();
    try {
      return tier.read(path);
    } finally {
      blockedNanos.add(System.nanoTime() - start);
    }
  }

  @Override
  public float[] getFloats(BlobKey key, float[] into) throws IOException {
    ensureOpen();
    String path = key.relativePath();
    byte[] image = read(path);
    return codec.decodeFloats(image, tier.location(path) + " (key " + key + ")", into);
  }

  @Override
  public boolean delete(BlobKey key) throws IOException {
    ensureOpen();
    Integer previous = sizes.remove(key);
    if (previous != null) {
      storedBytes.addAndGet(-previous);
    }
    return tier.delete(key.relativePath());
  }

  @Override
  public boolean exists(BlobKey key) throws IOException {
    ensureOpen();
    return tier.exists(key.relativePath());
  }

  @Override
  public void prefetch(List<BlobKey> keys) throws IOException {
    ensureOpen();
    List<String> paths = new ArrayList<>(keys.size());
    for (BlobKey key : keys) {
      paths.add(key.relativePath());
    }
    tier.prefetch(paths);
  }

  @Override
  public void flush() throws IOException {
    ensureOpen();
    long start = System.nanoTime();
    try {
      tier.flush();
    } finally {
      blockedNanos.add(System.nanoTime() - start);
    }
  }

  @Override
  public long storedBytes() {
    return storedBytes.get();
  }

  @Override
  public StoreMetrics metrics() {
    return new StoreMetrics(tier.metrics(), storedBytes.get(), blockedNanos.sum());
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    sizes.clear();
    storedBytes.set(0);
    tier.close();
  }

  @Override
  public String toString() {
    return "BlobStore(" + tier.name() + ")";
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("blob store over " + tier.name() + " is closed");
    }
  }
}
