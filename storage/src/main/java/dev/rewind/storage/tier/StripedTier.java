package dev.rewind.storage.tier;

import dev.rewind.storage.StoreFullException;
import dev.rewind.storage.TierMetrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Spreads paths over several tiers of the same kind, e.g. one local disk tier per Spark executor
 * local directory, so that their disks share the I/O. A path always goes to the same stripe (by the
 * path's {@link String#hashCode()}, which Java specifies, so every JVM agrees). Closing closes
 * every stripe.
 */
public final class StripedTier implements Tier {
  private final List<Tier> stripes;

  public StripedTier(List<? extends Tier> stripes) {
    if (stripes == null || stripes.isEmpty()) {
      throw new IllegalArgumentException(
          "striped tier: expected at least one tier, got " + stripes);
    }
    this.stripes = List.copyOf(stripes);
  }

  @Override
  public String name() {
    List<String> names = new ArrayList<>();
    for (Tier stripe : stripes) {
      names.add(stripe.name());
    }
    return "striped" + names;
  }

  @Override
  public void write(String path, byte[] image) throws IOException {
    stripe(path).write(path, image);
  }

  @Override
  public byte[] read(String path) throws IOException {
    return stripe(path).read(path);
  }

  @Override
  public boolean delete(String path) throws IOException {
    return stripe(path).delete(path);
  }

  @Override
  public boolean exists(String path) throws IOException {
    return stripe(path).exists(path);
  }

  @Override
  public String location(String path) {
    return stripe(path).location(path);
  }

  @Override
  public void checkRoom(String path, long bytes) throws StoreFullException {
    stripe(path).checkRoom(path, bytes);
  }

  @Override
  public void prefetch(List<String> paths) throws IOException {
    for (Tier stripe : stripes) {
      List<String> mine = new ArrayList<>();
      for (String path : paths) {
        if (stripe(path) == stripe) {
          mine.add(path);
        }
      }
      if (!mine.isEmpty()) {
        stripe.prefetch(mine);
      }
    }
  }

  @Override
  public void flush() throws IOException {
    for (Tier stripe : stripes) {
      stripe.flush();
    }
  }

  @Override
  public List<TierMetrics> metrics() {
    List<TierMetrics> all = new ArrayList<>();
    for (Tier stripe : stripes) {
      all.addAll(stripe.metrics());
    }
    return all;
  }

  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (Tier stripe : stripes) {
      try {
        stripe.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private Tier stripe(String path) {
    return stripes.get(Math.floorMod(TierPaths.check(path).hashCode(), stripes.size()));
  }
}
