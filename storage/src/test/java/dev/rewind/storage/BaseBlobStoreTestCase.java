package dev.rewind.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.tier.FaultInjectingTier;
import dev.rewind.storage.tier.FaultInjectingTier.Fault;
import dev.rewind.storage.tier.Tier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The contract every store passes (Lucene's BaseDirectoryTestCase): round trips of every blob kind,
 * replace, delete, accounting, clean close, confined paths; and the same store under a
 * fault-injecting tier, which must turn truncation, bit flips and failed writes into errors, never
 * into wrong data or visible partial blobs.
 */
public abstract class BaseBlobStoreTestCase {
  protected static final long SEED = Long.getLong("rewind.seed", 42L);

  protected FaultInjectingTier faulty;
  protected BlobStore store;
  protected String testName;

  /** A fresh, empty tier whose root is private to this test. */
  protected abstract Tier newTier(String name) throws IOException;

  /** Every file (blob or temporary) under the current test's root; empty for memory tiers. */
  protected abstract List<String> filesUnderRoot() throws IOException;

  /** The tier the store uses; subclasses may put another tier (write-behind) over the faults. */
  protected Tier outerTier(FaultInjectingTier faulty) throws IOException {
    return faulty;
  }

  @BeforeAll
  static void printSeed() {
    System.out.println("blob store suite seed=" + SEED + " (replay: -Drewind.seed=" + SEED + ")");
  }

  @BeforeEach
  void openStore(TestInfo info) throws IOException {
    testName = info.getTestMethod().orElseThrow().getName();
    faulty = new FaultInjectingTier(newTier(testName), SEED);
    store = BlobStores.open(outerTier(faulty));
  }

  @AfterEach
  void closeStore() throws IOException {
    store.close();
    assertEquals(List.of(), filesUnderRoot(), "files left after close");
  }

  protected static BlobKey key(long step, String tensor) {
    return new BlobKey("run", 1, 2, step, tensor);
  }

  protected static List<Blob> samples() {
    Random random = new Random(SEED);
    float[] v = new float[16 * 64];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) random.nextGaussian();
    }
    v[3] = -0.0f;
    v[4] = Float.intBitsToFloat(0x7fc0beef);
    boolean[] cells = new boolean[16 * 64];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = random.nextDouble() < 0.05;
    }
    return List.of(
        new FloatBlock(new int[] {16, 64}, v),
        IntBlock.of(3, 1, 4, 1, 5, 9, 2, 6),
        SpikeFrame.fromDense(16, 64, cells),
        new SparseFloats(1000, new int[] {0, 10, 999}, new float[] {1.5f, -0.0f, Float.NaN}),
        new ByteBlock(new byte[] {1, 2, 3}),
        FloatBlock.of(),
        new SpikeFrame(0, 0, new int[] {0}, new int[0]));
  }

  @Test
  void everyKindRoundTripsBitExactly() throws IOException {
    List<Blob> blobs = samples();
    for (int i = 0; i < blobs.size(); i++) {
      store.put(key(i, "t"), blobs.get(i));
    }
    store.flush();
    for (int i = 0; i < blobs.size(); i++) {
      assertEquals(blobs.get(i), store.get(key(i, "t")), "blob " + i);
    }
    assertArrayEquals(
        ((FloatBlock) blobs.get(0)).data(), store.getFloats(key(0, "t")).data(), 0.0f);
    assertEquals(blobs.get(2), store.getSpikes(key(2, "t")));
    IllegalArgumentException wrongType =
        assertThrows(IllegalArgumentException.class, () -> store.getSpikes(key(0, "t")));
    assertTrue(wrongType.getMessage().contains("expected SpikeFrame, got FLOATS"));
  }

  @Test
  void getFloatsIntoReusesTheCallersArray() throws IOException {
    BlobKey k = key(0, "v");
    store.put(k, FloatBlock.of(1f, -0f, Float.NaN));
    store.put(key(9, "i"), IntBlock.of(1, 2, 3));
    float[] buffer = new float[3];
    assertSame(buffer, store.getFloats(k, buffer));
    assertEquals(FloatBlock.of(1f, -0f, Float.NaN), FloatBlock.of(buffer));
    assertEquals(3, store.getFloats(k, new float[2]).length);
    assertThrows(IllegalArgumentException.class, () -> store.getFloats(key(9, "i"), buffer));
    assertThrows(BlobNotFoundException.class, () -> store.getFloats(key(8, "v"), buffer));
  }

  @Test
  void callerMayReuseArraysAfterPut() throws IOException {
    float[] data = {1f, 2f, 3f};
    store.put(key(0, "v"), FloatBlock.of(data));
    data[0] = 99f;
    store.flush();
    assertEquals(1f, store.getFloats(key(0, "v")).data()[0]);
  }

  @Test
  void putReplacesAndAccountsBytes() throws IOException {
    store.put(key(0, "v"), FloatBlock.of(1f, 2f, 3f));
    long three = store.storedBytes();
    store.put(key(0, "v"), FloatBlock.of(4f));
    store.flush();
    assertEquals(FloatBlock.of(4f), store.get(key(0, "v")));
    assertEquals(three - 8, store.storedBytes());
    store.put(key(1, "v"), FloatBlock.of(4f));
    assertEquals(2 * (three - 8), store.storedBytes());
    assertTrue(store.delete(key(1, "v")));
    assertEquals(three - 8, store.storedBytes());
  }

  @Test
  void deleteExistsAndNotFound() throws IOException {
    BlobKey k = key(5, "s");
    assertFalse(store.exists(k));
    BlobNotFoundException missing = assertThrows(BlobNotFoundException.class, () -> store.get(k));
    assertTrue(missing.getMessage().contains("run/a1/b2/s/5.rwb"), missing.getMessage());
    store.put(k, IntBlock.of(1));
    store.flush();
    assertTrue(store.exists(k));
    assertTrue(store.delete(k));
    assertFalse(store.exists(k));
    assertFalse(store.delete(k));
    assertThrows(BlobNotFoundException.class, () -> store.get(k));
  }

  @Test
  void metricsCountBlobsAndBytes() throws IOException {
    store.put(key(0, "v"), FloatBlock.of(new float[1000]));
    store.put(key(1, "v"), FloatBlock.of(new float[1000]));
    store.flush();
    store.get(key(0, "v"));
    StoreMetrics metrics = store.metrics();
    TierMetrics io = metrics.storageIo();
    assertEquals(2, io.blobsWritten(), metrics.toString());
    assertEquals(metrics.storedBytes(), io.bytesWritten());
    assertEquals(1, io.blobsRead());
    assertEquals(metrics.storedBytes() / 2, io.bytesRead());
    assertTrue(metrics.callerBlockedNanos() > 0);
  }

  @Test
  void closeRemovesEverythingAndRefusesLaterCalls() throws IOException {
    for (int i = 0; i < 5; i++) {
      store.put(key(i, "v"), FloatBlock.of(1f, 2f));
      store.put(new BlobKey("other", 3, 4, i, "s"), IntBlock.of(i));
    }
    store.flush();
    store.close();
    assertEquals(List.of(), filesUnderRoot());
    assertThrows(IllegalStateException.class, () -> store.get(key(0, "v")));
    assertThrows(IllegalStateException.class, () -> store.put(key(0, "v"), IntBlock.of(1)));
  }

  @Test
  void pathsCannotEscapeTheRoot() {
    Tier tier = faulty.delegate();
    for (String path :
        new String[] {"../x.rwb", "/etc/passwd", "a/../../b", "a//b", "", "a/./b", ".hidden"}) {
      assertThrows(IllegalArgumentException.class, () -> tier.write(path, new byte[] {1}), path);
      assertThrows(IllegalArgumentException.class, () -> tier.read(path), path);
    }
  }

  @Test
  void bitFlipsAreCorruptionErrorsNeverData() throws IOException {
    List<Blob> blobs = samples();
    for (int i = 0; i < blobs.size(); i++) {
      store.put(key(i, "t"), blobs.get(i));
    }
    store.flush();
    faulty.inject(Fault.FLIP_BIT);
    for (int round = 0; round < 10; round++) {
      for (int i = 0; i < blobs.size(); i++) {
        BlobKey k = key(i, "t");
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> store.get(k));
        assertTrue(e.getMessage().contains(k.relativePath()), e.getMessage());
      }
      assertFloatsReadFailsLeavingTheArray(key(0, "t"));
    }
    faulty.inject(Fault.NONE);
    assertEquals(blobs.get(0), store.get(key(0, "t")));
  }

  @Test
  void truncationIsACorruptionErrorNeverData() throws IOException {
    List<Blob> blobs = samples();
    for (int i = 0; i < blobs.size(); i++) {
      store.put(key(i, "t"), blobs.get(i));
    }
    store.flush();
    faulty.inject(Fault.TRUNCATE);
    for (int round = 0; round < 10; round++) {
      for (int i = 0; i < blobs.size(); i++) {
        BlobKey k = key(i, "t");
        assertThrows(CorruptFileException.class, () -> store.get(k));
      }
      assertFloatsReadFailsLeavingTheArray(key(0, "t"));
    }
  }

  /** A damaged float blob read into an array is an error, and the array keeps its values. */
  private void assertFloatsReadFailsLeavingTheArray(BlobKey k) throws IOException {
    float[] into = new float[((FloatBlock) samples().get(0)).data().length];
    Arrays.fill(into, 7f);
    CorruptFileException e =
        assertThrows(CorruptFileException.class, () -> store.getFloats(k, into));
    assertTrue(e.getMessage().contains(k.relativePath()), e.getMessage());
    for (float v : into) {
      assertEquals(7f, v);
    }
  }

  @Test
  void aFailedWriteLeavesNothingPartialVisible() throws IOException {
    BlobKey k = key(7, "v");
    store.put(k, FloatBlock.of(1f));
    store.flush();
    List<String> before = filesUnderRoot();
    faulty.inject(Fault.FAIL_WRITE);
    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              store.put(k, FloatBlock.of(2f, 3f));
              store.put(key(8, "v"), FloatBlock.of(2f, 3f));
              store.flush();
            });
    assertTrue(hasCause(e, FaultInjectingTier.WRITE_FAILURE), "cause chain of " + e);
    faulty.inject(Fault.NONE);
    assertEquals(before, filesUnderRoot());
    afterFailedWrite(k, FloatBlock.of(1f), key(8, "v"));
  }

  /** After a failed replace of {@code kept}: the old blob is intact and {@code lost} absent. */
  protected void afterFailedWrite(BlobKey kept, Blob old, BlobKey lost) throws IOException {
    assertEquals(old, store.get(kept));
    assertFalse(store.exists(lost));
  }

  @Test
  void concurrentPutsAndGets() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < blobsPerThread(); i++) {
                    BlobKey k = new BlobKey("run", thread, 0, i, "v");
                    store.put(k, FloatBlock.of(thread, i));
                    assertEquals(FloatBlock.of(thread, i), store.get(k));
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    store.flush();
    assertEquals(4 * blobsPerThread(), store.metrics().storageIo().blobsWritten());
  }

  /** Blobs each of four threads puts in the concurrency test; slow tiers may use fewer. */
  protected int blobsPerThread() {
    return 25;
  }

  protected static boolean hasCause(Throwable e, String text) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (String.valueOf(t.getMessage()).contains(text)) {
        return true;
      }
    }
    return false;
  }
}
