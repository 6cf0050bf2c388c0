package dev.rewind.storage.bench;

import dev.rewind.storage.BlobKey;
import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.tier.HadoopTier;
import dev.rewind.storage.tier.LocalDiskTier;
import dev.rewind.storage.tier.PackTier;
import dev.rewind.storage.tier.Tier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A task's off-chip traffic through the store a Spark task opens (write-behind, read-ahead): open a
 * store, put N checkpoint blobs, read them back newest first (as the backward pass does, each
 * announced with a prefetch) deleting each after use, close. Per tier: the local disk and an
 * in-process HDFS (MiniDFSCluster, one DataNode), each with pack files and with a file per blob.
 * Prints the seconds per task (best of the rounds after a warm-up) and the ratio to local packs.
 */
public final class OffChipTierBenchmark {
  private OffChipTierBenchmark() {}

  public static void main(String[] args) throws Exception {
    int blobs = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int[] kib = {4, 64};
    if (args.length > 2) {
      kib = java.util.Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
    }
    Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "offchip-tiers-");
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, work.resolve("minidfs").toString());
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    try {
      cluster.waitActive();
      URI hdfs = URI.create(cluster.getFileSystem().getUri() + "/offchip");
      Configuration client = cluster.getConfiguration(0);
      System.out.println(
          "| blob | tier | layout | s per task ("
              + blobs
              + " blobs) | MB/s written+read | / local disk, packs |");
      System.out.println("|---|---|---|---|---|---|");
      for (int size : kib) {
        int floats = size * 256;
        double base = 0;
        for (String[] tier :
            List.of(
                new String[] {"local disk", "packs"},
                new String[] {"local disk", "files"},
                new String[] {"MiniDFS", "packs"},
                new String[] {"MiniDFS", "files"})) {
          double best = Double.MAX_VALUE;
          for (int round = 0; round <= rounds; round++) {
            Path local = work.resolve("local");
            Tier t =
                tier[0].equals("local disk")
                    ? (tier[1].equals("packs")
                        ? PackTier.local(local, PackTier.DEFAULT_PACK_BYTES)
                        : new LocalDiskTier(local, false))
                    : (tier[1].equals("packs")
                        ? PackTier.hadoop(hdfs, client, PackTier.DEFAULT_PACK_BYTES)
                        : new HadoopTier(hdfs, client, false));
            double seconds = task(t, blobs, floats);
            if (round > 0) {
              best = Math.min(best, seconds);
            }
          }
          base = base == 0 ? best : base;
          double mb = 2.0 * blobs * floats * 4 / 1e6;
          System.out.printf(
              "| %d KiB | %s | %s | %.3f | %.0f | %.2f |%n",
              floats * 4 / 1024, tier[0], tier[1], best, mb / best, best / base);
        }
      }
    } finally {
      cluster.shutdown(true);
    }
  }

  private static double task(Tier tier, int blobs, int floats) throws Exception {
    float[] values = new float[floats];
    for (int i = 0; i < floats; i++) {
      values[i] = i * 0.001f;
    }
    FloatBlock block = FloatBlock.of(values);
    float[] into = new float[floats];
    long start = System.nanoTime();
    try (BlobStore store = BlobStores.writeBehind(tier, 16L << 20, 16L << 20)) {
      for (int i = 0; i < blobs; i++) {
        store.put(new BlobKey("bench", 1, 0, i, "v"), block);
      }
      for (int i = blobs - 1; i >= 0; i--) {
        BlobKey key = new BlobKey("bench", 1, 0, i, "v");
        if (i > 0) {
          store.prefetch(List.of(new BlobKey("bench", 1, 0, i - 1, "v")));
        }
        store.getFloats(key, into);
        store.delete(key);
      }
      store.flush();
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
