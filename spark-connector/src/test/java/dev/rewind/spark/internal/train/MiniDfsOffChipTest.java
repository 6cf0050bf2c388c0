package dev.rewind.spark.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.spark.SparkSessions;
import java.io.File;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Spark tasks whose off-chip tier is a real HDFS (MiniDFSCluster). */
@Timeout(120)
class MiniDfsOffChipTest {
  private static MiniDFSCluster cluster;
  private static SparkSession spark;
  private static GradientFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    Configuration conf = new Configuration();
    conf.set(
        MiniDFSCluster.HDFS_MINIDFS_BASEDIR,
        new File(System.getProperty("java.io.tmpdir"), "minidfs-spark").getAbsolutePath());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    spark = SparkSessions.local("local[2]");
    fixture = new GradientFixture(8, 40, 8);
  }

  @AfterAll
  static void stop() {
    spark.stop();
    cluster.shutdown();
  }

  @Test
  void remoteCheckpointsOnHdfsGiveTheStoreAllGradient() throws Exception {
    String root = "hdfs://localhost:" + cluster.getNameNodePort() + "/rewind-offchip";
    GradientSum onHdfs =
        fixture.distributed(
            fixture.task.chunkedRows(spark, 6, 2),
            GradientFixture.dense("seq_id"),
            2,
            root,
            "h",
            "remote:k=8");
    GradientSum onLocalDisk =
        fixture.distributed(
            fixture.task.chunkedRows(spark, 6, 2),
            GradientFixture.dense("seq_id"),
            2,
            "",
            "l",
            "store-all");
    assertTrue(onHdfs.bytesWritten() > 0, "bytes written to HDFS");
    assertTrue(
        onHdfs.recomputedSteps() > 0, "the remote schedule recomputes from HDFS checkpoints");
    assertArrayEquals(onLocalDisk.meanGradient(), onHdfs.meanGradient());
    FileSystem fs = FileSystem.get(URI.create(root), cluster.getConfiguration(0));
    assertFalse(
        fs.exists(new Path(root)) && fs.listFiles(new Path(root), true).hasNext(),
        "no blob remains on HDFS after the step");
  }

  @Test
  void segmentsWithRemoteCheckpointsOnHdfsGiveTheSingleJvmGradientBitForBit() throws Exception {
    String root = "hdfs://localhost:" + cluster.getNameNodePort() + "/rewind-segments";
    GradientFixture.SegmentRun run =
        fixture.segmentParallel(
            fixture.task.chunkedRows(spark, 6, 2),
            GradientFixture.dense("seq_id"),
            Parallelism.parse("segments:3"),
            root,
            "s",
            "remote:k=4");
    assertTrue(run.sum().bytesWritten() > 0, "bytes written to HDFS");
    assertTrue(run.sum().recomputedSteps() > 0, "segments recompute from HDFS checkpoints");
    assertArrayEquals(
        fixture.microBatchReference(run.plan()).meanGradient(), run.sum().meanGradient());
    FileSystem fs = FileSystem.get(URI.create(root), cluster.getConfiguration(0));
    assertFalse(
        fs.exists(new Path(root)) && fs.listFiles(new Path(root), true).hasNext(),
        "no blob remains on HDFS after the step");
  }

  @Test
  void theDriverSweepsAbandonedPackFoldersAndKeepsRecentOnes() throws Exception {
    String root = "hdfs://localhost:" + cluster.getNameNodePort() + "/rewind-sweep";
    FileSystem fs = FileSystem.get(URI.create(root), cluster.getConfiguration(0));
    Path abandoned = new Path(root, "rewind-packs_another-host_1234_1");
    Path recent = new Path(root, "rewind-packs_another-host_1234_2");
    for (Path folder : List.of(abandoned, recent)) {
      fs.create(new Path(folder, "pack-000000.rwp")).close();
    }
    long twoDaysAgo = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(2);
    fs.setTimes(new Path(abandoned, "pack-000000.rwp"), twoDaysAgo, -1);
    fs.setTimes(abandoned, twoDaysAgo, -1);

    assertEquals(
        1, OffChipStores.sweepStale(new OffChip(root, "packs"), cluster.getConfiguration(0)));

    assertFalse(fs.exists(abandoned), "another host's folder untouched for two days");
    assertTrue(fs.exists(recent), "another host's folder written just now may be live");
    fs.delete(new Path(root), true);
  }
}
