package dev.rewind.spark.internal.train;

import dev.rewind.storage.tier.BlobBundle;
import dev.rewind.storage.tier.BlobBundleWriter;
import dev.rewind.trainer.checkpoint.CopiedCheckpoints;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.deploy.SparkHadoopUtil;

/**
 * Where a segment-parallel step keeps copies of the checkpoints its forward tasks leave on the slow
 * tier, when the off-chip location is a Hadoop URI: one bundle file per segment and micro-batch,
 * {@code <location>/rewind-copies/<run>/a<step>/b<segment, micro-batch>.bundle} ({@link
 * BlobBundle}), which outlives the executor that wrote it. A backward task that finds its segment
 * lost with its executor reads it back ({@link
 * dev.rewind.trainer.checkpoint.SequenceTrainer#gradient(dev.rewind.trainer.model.Parameters,
 * dev.rewind.trainer.data.FrameSource, dev.rewind.trainer.checkpoint.SegmentBoundary, BlobBundle,
 * CopiedCheckpoints)}) instead of running the forward sweep again. Executor-local off-chip
 * locations die with their executor, so they get no copies. The writing executor deletes its copies
 * when its segment's backward ends there; the driver deletes what lost executors left after each
 * step and the run's folder when the fit ends.
 */
final class CheckpointBundles {
  static final String SUBDIR = "rewind-copies";
  private static SparkEnv executorEnv;
  private static Configuration executorConf;

  private CheckpointBundles() {}

  /** Whether {@code offChip} gets copies: a Hadoop URI outlives the executors. */
  static boolean copies(OffChip offChip) {
    return !offChip.location().isEmpty();
  }

  /** The copies' name of segment {@code segment} of micro-batch {@code microBatch} of a step. */
  static CopiedCheckpoints.Name name(String run, long step, int segment, int microBatch) {
    return new CopiedCheckpoints.Name(run, step, ((long) segment << 20) | microBatch);
  }

  /**
   * The bundle a forward task writes the copies named {@code name} to (published before the task
   * returns), on the calling executor.
   */
  static BlobBundleWriter openForWriting(OffChip offChip, CopiedCheckpoints.Name name)
      throws IOException {
    return BlobBundleWriter.create(bundle(offChip, name), executorConf());
  }

  /** The bundle a backward task reads a lost segment's copies from, on the calling executor. */
  static BlobBundle openForReading(OffChip offChip, CopiedCheckpoints.Name name)
      throws IOException {
    return BlobBundle.open(bundle(offChip, name), executorConf());
  }

  private static URI bundle(OffChip offChip, CopiedCheckpoints.Name name) {
    return new Path(
            new Path(root(offChip)),
            name.run() + "/a" + name.attempt() + "/b" + name.batch() + ".bundle")
        .toUri();
  }

  /** Deletes, on the driver, the copies step {@code step} of {@code run} left. */
  static void deleteStep(OffChip offChip, Configuration conf, String run, long step)
      throws IOException {
    delete(offChip, conf, run + "/a" + step);
  }

  /** Deletes, on the driver, every copy of {@code run}, and the copies' folder once empty. */
  static void deleteRun(OffChip offChip, Configuration conf, String run) throws IOException {
    delete(offChip, conf, run);
    Path root = new Path(root(offChip));
    FileSystem fs = root.getFileSystem(conf);
    if (fs.exists(root) && fs.listStatus(root).length == 0) {
      fs.delete(root, false);
    }
  }

  private static void delete(OffChip offChip, Configuration conf, String relative)
      throws IOException {
    Path path = new Path(new Path(root(offChip)), relative);
    FileSystem fs = path.getFileSystem(conf);
    fs.delete(path, true);
  }

  private static URI root(OffChip offChip) {
    if (!copies(offChip)) {
      throw new IllegalArgumentException(
          "checkpoint copies: expected a Hadoop URI as the off-chip location, got executor-local");
    }
    return new Path(new Path(offChip.location()), SUBDIR).toUri();
  }

  /**
   * The executor's Hadoop configuration, built once per Spark environment (a new SparkContext in
   * the same JVM gets its own): building one parses Hadoop's XML resources, which costs more than a
   * segment's whole bundle.
   */
  private static synchronized Configuration executorConf() {
    SparkEnv env = SparkEnv.get();
    if (executorConf == null || executorEnv != env) {
      executorConf = SparkHadoopUtil.get().newConfiguration(env.conf());
      executorEnv = env;
    }
    return executorConf;
  }
}
