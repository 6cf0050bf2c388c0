package dev.rewind.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.tier.HeapTier;
import dev.rewind.storage.tier.LocalDiskTier;
import dev.rewind.storage.tier.Tier;
import dev.rewind.storage.tier.TieredTier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A small heap tier spilling to local disk. */
class TieredBlobStoreTest extends BaseBlobStoreTestCase {
  private Path root;
  private HeapTier heap;

  @Override
  protected Tier newTier(String name) throws IOException {
    Path base = Path.of("target", "tiered-test");
    Files.createDirectories(base);
    root = Files.createTempDirectory(base, name).resolve("root");
    heap = new HeapTier(8192);
    return new TieredTier(heap, new LocalDiskTier(root, false));
  }

  @Override
  protected List<String> filesUnderRoot() throws IOException {
    return LocalDiskBlobStoreTest.listFiles(root);
  }

  @Test
  void spillsToTheSlowTierWhenTheFastOneIsFull() throws IOException {
    for (int i = 0; i < 6; i++) {
      store.put(key(i, "v"), FloatBlock.of(new float[500]));
    }
    assertTrue(heap.usedBytes() <= 8192);
    assertEquals(2, filesUnderRoot().size() >= 2 ? 2 : filesUnderRoot().size());
    for (int i = 0; i < 6; i++) {
      assertEquals(FloatBlock.of(new float[500]), store.get(key(i, "v")));
    }
    List<TierMetrics> tiers = store.metrics().tiers();
    assertEquals(4, tiers.get(0).blobsWritten());
    assertEquals(2, tiers.get(1).blobsWritten());
  }
}
