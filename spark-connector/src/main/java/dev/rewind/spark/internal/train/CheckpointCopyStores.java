package dev.rewind.spark.internal.train;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
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
 * tier, when the off-chip location is a Hadoop URI: plain files under {@code
 * <location>/rewind-copies/<run>/a<step>/b<segment, micro-batch>/}, which outlive the executor that
 * wrote them. A backward task that finds its segment lost with its executor reads them back ({@link
 * dev.rewind.trainer.checkpoint.SequenceTrainer#gradient(dev.rewind.trainer.model.Parameters,
 * dev.rewind.trainer.data.FrameSource, dev.rewind.trainer.checkpoint.SegmentBoundary, BlobStore,
 * CopiedCheckpoints)}) instead of running the forward sweep again. Executor-local off-chip
 * locations die with their executor, so they get no copies. The writing executor deletes its copies
 * when its segment's backward ends there; the driver deletes what lost executors left after each
 * step and the run's folder when the fit ends.
 */
final class CheckpointCopyStores {
  static final String SUBDIR = "rewind-copies";

  private CheckpointCopyStores() {}

  /** Whether {@code offChip} gets copies: a Hadoop URI outlives the executors. */
  static boolean copies(OffChip offChip) {
    return !offChip.location().isEmpty();
  }

  /** The copies' name of segment {@code segment} of micro-batch {@code microBatch} of a step. */
  static CopiedCheckpoints.Name name(String run, long step, int segment, int microBatch) {
    return new CopiedCheckpoints.Name(run, step, ((long) segment << 20) | microBatch);
  }

  /**
   * The store a forward task writes its copies to (written behind; flushed before the task
   * returns), on the calling executor.
   */
  static BlobStore openForWriting(OffChip offChip) throws IOException {
    return BlobStores.offChip(root(offChip), executorConf(), false);
  }

  /** The store a backward task reads a lost segment's copies from, on the calling executor. */
  static BlobStore openForReading(OffChip offChip) throws IOException {
    return BlobStores.hadoop(root(offChip), executorConf());
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

  private static Configuration executorConf() {
    return SparkHadoopUtil.get().newConfiguration(SparkEnv.get().conf());
  }
}
