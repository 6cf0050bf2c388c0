package dev.rewind.storage.tier;

import dev.rewind.storage.BlobNotFoundException;
import dev.rewind.storage.StoreFullException;
import dev.rewind.storage.TierMetrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fast tier backed by a slow one: a write goes to the fast tier while it has room and spills to
 * the slow tier otherwise; a read looks where the image was put (or, for images this instance did
 * not write, in the fast tier first). Closing closes both.
 */
public final class TieredTier implements Tier {
  private final Tier fast;
  private final Tier slow;
  private final ConcurrentHashMap<String, Tier> placement = new ConcurrentHashMap<>();

  public TieredTier(Tier fast, Tier slow) {
    if (fast == null || slow == null || fast == slow) {
      throw new IllegalArgumentException(
          "tiered tier: expected two distinct tiers, got " + fast + " and " + slow);
    }
    this.fast = fast;
    this.slow = slow;
  }

  @Override
  public String name() {
    return "tiered(" + fast.name() + " | " + slow.name() + ")";
  }

  @Override
  public void checkRoom(String path, long bytes) throws StoreFullException {
    try {
      fast.checkRoom(path, bytes);
    } catch (StoreFullException e) {
      slow.checkRoom(path, bytes);
    }
  }

  @Override
  public void write(String path, byte[] image) throws IOException {
    Tier target = fast;
    try {
      fast.checkRoom(path, image.length);
      fast.write(path, image);
    } catch (StoreFullException e) {
      target = slow;
      slow.write(path, image);
    }
    Tier previous = placement.put(path, target);
    if (previous != null && previous != target) {
      previous.delete(path);
    }
  }

  @Override
  public byte[] read(String path) throws IOException {
    return locate(path).read(path);
  }

  @Override
  public boolean delete(String path) throws IOException {
    placement.remove(path);
    boolean inFast = fast.delete(path);
    boolean inSlow = slow.delete(path);
    return inFast || inSlow;
  }

  @Override
  public boolean exists(String path) throws IOException {
    return fast.exists(path) || slow.exists(path);
  }

  @Override
  public String location(String path) {
    Tier placed = placement.get(path);
    return placed != null
        ? placed.location(path)
        : fast.location(path) + " or " + slow.location(path);
  }

  @Override
  public void prefetch(List<String> paths) throws IOException {
    List<String> spilled = new ArrayList<>();
    for (String path : paths) {
      if (placement.get(path) != fast) {
        spilled.add(path);
      }
    }
    slow.prefetch(spilled);
  }

  @Override
  public void flush() throws IOException {
    fast.flush();
    slow.flush();
  }

  @Override
  public List<TierMetrics> metrics() {
    List<TierMetrics> all = new ArrayList<>(fast.metrics());
    all.addAll(slow.metrics());
    return all;
  }

  @Override
  public void close() throws IOException {
    try {
      fast.close();
    } finally {
      slow.close();
    }
  }

  private Tier locate(String path) throws IOException {
    Tier placed = placement.get(path);
    if (placed != null) {
      return placed;
    }
    if (fast.exists(path)) {
      return fast;
    }
    if (slow.exists(path)) {
      return slow;
    }
    throw new BlobNotFoundException(location(path));
  }
}
