package dev.rewind.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.tier.HeapTier;
import dev.rewind.storage.tier.Tier;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeapBlobStoreTest extends BaseBlobStoreTestCase {
  private HeapTier heap;

  @Override
  protected Tier newTier(String name) {
    heap = new HeapTier(16 << 20);
    return heap;
  }

  @Override
  protected List<String> filesUnderRoot() {
    return List.of();
  }

  @Test
  void aPutBeyondTheBudgetFailsClearlyAndStoresNothing() throws IOException {
    try (BlobStore small = BlobStores.heap(10_000)) {
      small.put(key(0, "v"), FloatBlock.of(new float[2000]));
      long used = small.storedBytes();
      StoreFullException e =
          assertThrows(
              StoreFullException.class,
              () -> small.put(key(1, "v"), FloatBlock.of(new float[1000])));
      assertTrue(
          e.getMessage()
              .matches(
                  "heap tier full writing run/a1/b2/v/1.rwb: needed=4\\d{3} bytes,"
                      + " used="
                      + used
                      + ", budget=10000"),
          e.getMessage());
      assertEquals(used, small.storedBytes());
      assertTrue(small.delete(key(0, "v")));
      small.put(key(1, "v"), FloatBlock.of(new float[1000]));
    }
  }

  @Test
  void aHugePutIsRefusedBeforeAnyAllocation() throws IOException {
    try (BlobStore small = BlobStores.heap(1 << 20)) {
      // 2^30 cells would need a 128 MiB bitmap; the budget check runs before encoding.
      SpikeFrame huge = new SpikeFrame(1 << 15, 1 << 15, new int[(1 << 15) + 1], new int[0]);
      assertThrows(StoreFullException.class, () -> small.put(key(0, "s"), huge));
    }
  }

  @Test
  void budgetAboveTheMaxHeapIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new HeapTier(Runtime.getRuntime().maxMemory() + 1));
    assertTrue(e.getMessage().startsWith("heap tier budget: expected 1 to "), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new HeapTier(0));
  }

  @Test
  void closeReleasesTheBudget() throws IOException {
    store.put(key(0, "v"), FloatBlock.of(new float[100]));
    assertTrue(heap.usedBytes() > 400);
    store.close();
    assertEquals(0, heap.usedBytes());
  }
}
