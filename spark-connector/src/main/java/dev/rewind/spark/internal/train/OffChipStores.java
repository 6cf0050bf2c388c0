package dev.rewind.spark.internal.train;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.storage.tier.PackFolders;
import dev.rewind.trainer.internal.calibration.CostCalibrator;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkEnv;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.util.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a task's off-chip store ({@link OffChip}): under the executor's local dirs ({@code
 * spark.local.dir}) when the location is empty, otherwise under a Hadoop URI (hdfs://, file://,
 * s3a://...) read with the executor's Hadoop configuration ({@code spark.hadoop.*} included). Keys
 * carry the run and the task attempt, so attempts never share files; closing the store removes what
 * it wrote.
 */
public final class OffChipStores {
  /** Directory under a local dir that holds Rewind's off-chip blobs. */
  public static final String LOCAL_SUBDIR = "rewind-offchip";

  private static final Logger LOG = LoggerFactory.getLogger(OffChipStores.class);

  private OffChipStores() {}

  /**
   * Checks on the driver, before any job, that {@code location} (empty: the executors' local dirs,
   * not checked here) takes a file: creates and removes a probe, and the directory too when it had
   * to create it.
   */
  public static void requireWritable(OffChip offChip, Configuration conf) {
    String location = offChip.location();
    if (location.isEmpty()) {
      return;
    }
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(location);
    org.apache.hadoop.fs.Path probe =
        new org.apache.hadoop.fs.Path(root, ".rewind-probe-" + java.util.UUID.randomUUID());
    try {
      FileSystem fs = root.getFileSystem(conf);
      boolean created = !fs.exists(root);
      if (!fs.mkdirs(root)) {
        throw new IOException("could not create the directory");
      }
      try {
        fs.create(probe, false).close();
        fs.delete(probe, false);
      } finally {
        if (created) {
          fs.delete(root, false);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "offChipLocation: expected a location this job can write, got '"
              + location
              + "': "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Removes, on the driver before any job, the pack folders that killed JVMs of earlier runs left
   * under {@code location} (see {@link PackFolders}); a live run's folders are never touched. The
   * executors' own local dirs are swept by each executor's first task.
   */
  public static int sweepStale(OffChip offChip, Configuration conf) {
    String location = offChip.location();
    if (location.isEmpty()) {
      return 0;
    }
    try {
      return PackFolders.sweep(new org.apache.hadoop.fs.Path(location).toUri(), conf);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "offChipLocation: could not list '" + location + "' for stale folders: " + e.getMessage(),
          e);
    }
  }

  /**
   * As {@link #sweepStale}, on the driver when a fit ends, succeeded or failed: removes the pack
   * folders of the executors the fit lost. A failure is logged, not thrown, so that it never hides
   * the fit's own; the next fit's sweep tries again.
   */
  public static void sweepStaleAfterFit(OffChip offChip, Configuration conf) {
    try {
      int removed = sweepStale(offChip, conf);
      if (removed > 0) {
        LOG.info("Rewind: removed {} off-chip folders of lost executors", removed);
      }
    } catch (RuntimeException e) {
      LOG.warn("Rewind: sweeping the off-chip folders of lost executors failed", e);
    }
  }

  /**
   * Where the calling executor caches cost calibrations: the machine's cache that the JVM engine
   * uses too ({@link CostCalibrator#defaultCacheDir()}), so that a run reuses what an earlier run
   * on the same machine measured; under the executor's first local dir when that cache cannot be
   * created (a container without a writable home), which lasts one application.
   */
  public static Path calibrationCache() {
    Path shared = CostCalibrator.defaultCacheDir();
    try {
      Files.createDirectories(shared);
      if (Files.isWritable(shared)) {
        return shared;
      }
    } catch (IOException | SecurityException e) {
      // fall through to the application's local dir
    }
    return Path.of(Utils.getLocalDir(SparkEnv.get().conf()), "rewind-calibration");
  }

  /**
   * Opens the store of the calling executor for {@code location}, writing behind and reading ahead
   * ({@link BlobStores#offChip}), so that a step never waits for its checkpoints' I/O unless the
   * queue is full.
   */
  public static BlobStore open(OffChip offChip) throws IOException {
    SparkEnv env = SparkEnv.get();
    String location = offChip.location();
    if (location.isEmpty()) {
      return BlobStores.offChip(
          Path.of(Utils.getLocalDir(env.conf()), LOCAL_SUBDIR), offChip.packs());
    }
    // Hadoop's Path drops a trailing slash, which the Hadoop tier's root check does not expect.
    URI root = new org.apache.hadoop.fs.Path(location).toUri();
    return BlobStores.offChip(
        root, SparkHadoopUtil.get().newConfiguration(env.conf()), offChip.packs());
  }
}
