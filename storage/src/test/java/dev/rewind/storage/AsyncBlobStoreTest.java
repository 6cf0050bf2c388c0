package dev.rewind.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.tier.AsyncTier;
import dev.rewind.storage.tier.FaultInjectingTier;
import dev.rewind.storage.tier.FaultInjectingTier.Fault;
import dev.rewind.storage.tier.GatedTier;
import dev.rewind.storage.tier.HeapTier;
import dev.rewind.storage.tier.LocalDiskTier;
import dev.rewind.storage.tier.Tier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Write-behind and read-ahead over local disk: the whole contract, then the async behaviour. */
@Timeout(60)
class AsyncBlobStoreTest extends BaseBlobStoreTestCase {
  private Path root;

  @Override
  protected Tier newTier(String name) throws IOException {
    Path base = Path.of("target", "async-tier-test");
    Files.createDirectories(base);
    root = Files.createTempDirectory(base, name).resolve("root");
    return new LocalDiskTier(root, false);
  }

  @Override
  protected Tier outerTier(FaultInjectingTier faulty) {
    return new AsyncTier(faulty, 1 << 20, 1 << 20);
  }

  @Override
  protected List<String> filesUnderRoot() throws IOException {
    return LocalDiskBlobStoreTest.listFiles(root);
  }

  /** After a background write failed, every call reports it until the store is closed. */
  @Override
  protected void afterFailedWrite(BlobKey kept, Blob old, BlobKey lost) {
    for (int i = 0; i < 3; i++) {
      StoreFailedException e = assertThrows(StoreFailedException.class, () -> store.get(kept));
      assertTrue(hasCause(e, FaultInjectingTier.WRITE_FAILURE), "cause of " + e);
      assertTrue(e.getMessage().startsWith("background write of "), e.getMessage());
      assertThrows(StoreFailedException.class, () -> store.exists(lost));
      assertThrows(StoreFailedException.class, () -> store.put(lost, IntBlock.of(1)));
      assertThrows(StoreFailedException.class, store::flush);
    }
  }

  @AfterAll
  static void noThreadOutlivesItsStore() {
    assertEquals(List.of(), storeThreads());
  }

  static List<String> storeThreads() {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith(AsyncTier.THREAD_PREFIX) && t.isAlive()) {
        names.add(t.getName());
      }
    }
    names.sort(null);
    return names;
  }

  private static BlobStore gatedStore(GatedTier gated, long queueBytes) {
    return BlobStores.open(new AsyncTier(gated, queueBytes, 1 << 20));
  }

  @Test
  void aFullQueueBlocksThePutUntilTheWriterCatchesUp() throws Exception {
    List<String> before = storeThreads();
    GatedTier gated = new GatedTier(new HeapTier(1 << 24));
    try (BlobStore async = gatedStore(gated, 10_000)) {
      async.put(key(0, "v"), FloatBlock.of(new float[1000]));
      async.put(key(1, "v"), FloatBlock.of(new float[1000]));
      CompletableFuture<Void> third =
          CompletableFuture.runAsync(
              () -> {
                try {
                  async.put(key(2, "v"), FloatBlock.of(new float[1000]));
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });
      Thread.sleep(200);
      assertFalse(third.isDone(), "third put should wait for queue space");
      gated.allowWrites(1);
      third.get(10, TimeUnit.SECONDS);
      gated.allowWrites(10);
      async.flush();
      TierMetrics own = async.metrics().tiers().get(0);
      assertTrue(own.blockedNanos() >= 100_000_000L, own.toString());
      for (int i = 0; i < 3; i++) {
        assertEquals(FloatBlock.of(new float[1000]), async.get(key(i, "v")));
      }
    }
    assertEquals(before, storeThreads());
  }

  @Test
  void queuedWritesAndDeletesAreVisibleBeforeTheyLand() throws Exception {
    GatedTier gated = new GatedTier(new HeapTier(1 << 24));
    try (BlobStore async = gatedStore(gated, 1 << 20)) {
      BlobKey k = key(0, "v");
      async.put(k, IntBlock.of(1, 2));
      assertTrue(async.exists(k));
      assertEquals(IntBlock.of(1, 2), async.get(k));
      assertTrue(async.delete(k));
      assertFalse(async.exists(k));
      assertThrows(BlobNotFoundException.class, () -> async.get(k));
      async.put(k, IntBlock.of(3));
      assertEquals(IntBlock.of(3), async.get(k));
      assertEquals(0, gated.reads());
      gated.allowWrites(10);
      async.flush();
      assertEquals(IntBlock.of(3), async.get(k));
    }
  }

  @Test
  void prefetchedKeysAreReadOnceInTheBackground() throws Exception {
    GatedTier gated = new GatedTier(new HeapTier(1 << 24));
    gated.allowWrites(1000);
    try (BlobStore async = gatedStore(gated, 1 << 20)) {
      List<BlobKey> keys = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        keys.add(key(i, "v"));
        async.put(keys.get(i), FloatBlock.of(i, -i));
      }
      async.flush();
      async.prefetch(keys);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (gated.reads() < 20 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertEquals(20, gated.reads(), "background reads");
      for (int i = 0; i < 20; i++) {
        assertEquals(FloatBlock.of(i, -i), async.get(keys.get(i)));
      }
      assertEquals(20, gated.reads(), "every get was served from the read-ahead cache");
      TierMetrics own = async.metrics().tiers().get(0);
      assertEquals(20, own.blobsRead());
    }
  }

  @Test
  void readAheadStaysWithinItsCache() throws Exception {
    GatedTier gated = new GatedTier(new HeapTier(1 << 24));
    gated.allowWrites(1000);
    Tier tier = new AsyncTier(gated, 1 << 20, 10_000);
    try (BlobStore async = BlobStores.open(tier)) {
      List<BlobKey> keys = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        keys.add(key(i, "v"));
        async.put(keys.get(i), FloatBlock.of(new float[1000]));
      }
      async.flush();
      async.prefetch(keys);
      Thread.sleep(200);
      assertTrue(gated.reads() <= 3, "loaded " + gated.reads() + " of 4 KiB into a 10 kB cache");
      for (BlobKey k : keys) {
        assertEquals(FloatBlock.of(new float[1000]), async.get(k));
      }
      assertEquals(10, gated.reads());
    }
  }

  @Test
  void aFailedBackgroundReadSurfacesAtTheNextCall() throws Exception {
    store.put(key(0, "v"), FloatBlock.of(1f));
    store.flush();
    faulty.inject(Fault.FAIL_READ);
    store.prefetch(List.of(key(0, "v")));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    StoreFailedException failure = null;
    while (failure == null && System.nanoTime() < deadline) {
      try {
        store.exists(key(1, "v"));
        Thread.sleep(5);
      } catch (StoreFailedException e) {
        failure = e;
      }
    }
    assertTrue(failure != null, "no failure reported");
    assertTrue(hasCause(failure, FaultInjectingTier.READ_FAILURE), "cause of " + failure);
    assertTrue(failure.getMessage().startsWith("background read of "), failure.getMessage());
    faulty.inject(Fault.NONE);
  }

  @Test
  void prefetchingAMissingKeyReportsItWhenRead() throws Exception {
    store.prefetch(List.of(key(9, "nothing")));
    assertThrows(BlobNotFoundException.class, () -> store.get(key(9, "nothing")));
    store.put(key(9, "nothing"), IntBlock.of(9));
    assertEquals(IntBlock.of(9), store.get(key(9, "nothing")));
  }

  @Test
  void closeStopsBothThreads() throws IOException {
    int before = storeThreads().size();
    BlobStore async = BlobStores.writeBehind(new HeapTier(1 << 20), 1 << 16, 1 << 16);
    assertEquals(before + 2, storeThreads().size());
    async.put(key(0, "v"), IntBlock.of(1));
    async.close();
    assertEquals(before, storeThreads().size());
  }

  @Test
  void rejectsBadBounds() {
    assertThrows(IllegalArgumentException.class, () -> new AsyncTier(new HeapTier(1024), 0, 1024));
    assertThrows(IllegalArgumentException.class, () -> new AsyncTier(new HeapTier(1024), 1024, -1));
  }
}
