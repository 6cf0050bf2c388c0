package dev.rewind.storage.bench;

import dev.rewind.storage.BlobKey;
import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.tier.LocalDiskTier;
import dev.rewind.storage.tier.PackTier;
import dev.rewind.storage.tier.Tier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Local-disk tier throughput against {@code dd} on the same directory, in the same run. Both sides
 * move the same number of bytes in the same block size; without sync both end in the page cache,
 * with sync the store forces every blob and dd uses {@code oflag=dsync} (every block). Reads follow
 * the writes, so both read from the page cache. Then the rewrite, the steady state of training
 * (each batch's checkpoints deleted once used, the next batch's written): the store deletes every
 * blob (timed apart) and puts them again, dd overwrites its file in place ({@code conv=notrunc}).
 */
final class DiskThroughput {
  private final Path dir;
  private final long totalBytes;
  private final int rounds;
  private final boolean packs;

  /**
   * @param packs whether the store appends blobs to pack files ({@link PackTier}, unsynced only)
   *     instead of writing a file per blob ({@link LocalDiskTier})
   */
  DiskThroughput(Path dir, long totalBytes, int rounds, boolean packs) {
    this.dir = dir;
    this.totalBytes = totalBytes;
    this.rounds = rounds;
    this.packs = packs;
  }

  /** One row of results, throughputs in MB/s (10^6 bytes per second), best of the rounds. */
  record Row(
      int blockBytes,
      boolean sync,
      double storeWrite,
      double ddWrite,
      double storeRead,
      double ddRead,
      double storeRewrite,
      double ddRewrite,
      double deleteMicros) {}

  Row measure(int blockBytes, boolean sync) throws Exception {
    if (packs && sync) {
      throw new IllegalArgumentException("the pack tier does not sync: measure it unsynced");
    }
    // Synced writes are slow: a quarter of the bytes keeps the run short.
    int blocks = (int) Math.max(1, (sync ? totalBytes / 4 : totalBytes) / blockBytes);
    float[] values = new float[blockBytes / 4];
    Random random = new Random(1);
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    FloatBlock block = FloatBlock.of(values);
    double storeWrite = 0;
    double ddWrite = 0;
    double storeRead = 0;
    double ddRead = 0;
    double storeRewrite = 0;
    double ddRewrite = 0;
    double deleteMicros = Double.MAX_VALUE;
    // Round 0 warms up the JIT and is not counted.
    for (int round = 0; round <= rounds; round++) {
      Path ddFile = dir.resolve("dd-" + blockBytes + ".bin");
      double ddWriteRate = ddWrite(ddFile, blockBytes, blocks, sync, false);
      double ddReadRate = ddRead(ddFile, blockBytes, blocks);
      double ddRewriteRate = ddWrite(ddFile, blockBytes, blocks, sync, true);
      Files.deleteIfExists(ddFile);
      Path root = dir.resolve("store-" + blockBytes + "-" + round);
      Tier tier =
          packs ? PackTier.local(root, PackTier.DEFAULT_PACK_BYTES) : new LocalDiskTier(root, sync);
      try (BlobStore store = BlobStores.open(tier)) {
        List<BlobKey> keys = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
          keys.add(new BlobKey("bench", 0, 0, i, "v"));
        }
        long start = System.nanoTime();
        for (BlobKey key : keys) {
          store.put(key, block);
        }
        double storeWriteRate = rate((long) blocks * blockBytes, start);
        start = System.nanoTime();
        float[] into = new float[values.length];
        for (BlobKey key : keys) {
          if (store.getFloats(key, into) != into) {
            throw new IllegalStateException("short read of " + key);
          }
        }
        double storeReadRate = rate((long) blocks * blockBytes, start);
        start = System.nanoTime();
        for (BlobKey key : keys) {
          store.delete(key);
        }
        double roundDeleteMicros = (System.nanoTime() - start) / 1e3 / blocks;
        start = System.nanoTime();
        for (BlobKey key : keys) {
          store.put(key, block);
        }
        double storeRewriteRate = rate((long) blocks * blockBytes, start);
        if (round > 0) {
          storeRewrite = Math.max(storeRewrite, storeRewriteRate);
          ddRewrite = Math.max(ddRewrite, ddRewriteRate);
          deleteMicros = Math.min(deleteMicros, roundDeleteMicros);
          storeWrite = Math.max(storeWrite, storeWriteRate);
          storeRead = Math.max(storeRead, storeReadRate);
          ddWrite = Math.max(ddWrite, ddWriteRate);
          ddRead = Math.max(ddRead, ddReadRate);
        }
      }
    }
    return new Row(
        blockBytes,
        sync,
        storeWrite,
        ddWrite,
        storeRead,
        ddRead,
        storeRewrite,
        ddRewrite,
        deleteMicros);
  }

  private static double ddWrite(
      Path file, int blockBytes, int blocks, boolean sync, boolean overwrite) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of("dd", "if=/dev/zero", "of=" + file, "bs=" + blockBytes, "count=" + blocks));
    if (sync) {
      command.add("oflag=dsync");
    }
    if (overwrite) {
      command.add("conv=notrunc");
    }
    long start = System.nanoTime();
    run(command);
    return rate((long) blocks * blockBytes, start);
  }

  private static double ddRead(Path file, int blockBytes, int blocks) throws Exception {
    long start = System.nanoTime();
    run(List.of("dd", "if=" + file, "of=/dev/null", "bs=" + blockBytes, "count=" + blocks));
    return rate((long) blocks * blockBytes, start);
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IOException(command + " failed: " + new String(output));
    }
  }

  private static double rate(long bytes, long startNanos) {
    return bytes / ((System.nanoTime() - startNanos) / 1e9) / 1e6;
  }
}
