package dev.rewind.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.storage.tier.BlobBundle;
import dev.rewind.storage.tier.BlobBundleWriter;
import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.schedule.DoubleCheckpointSchedule;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.PeriodicSchedule;
import dev.rewind.trainer.schedule.Schedule;
import dev.rewind.trainer.schedule.ScheduleSimulator;
import dev.rewind.trainer.schedule.ScheduleSpec;
import dev.rewind.trainer.schedule.TwoLevelSchedule;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every schedule with its slow tier on a real in-process HDFS (hdfs://) is bit-identical too. */
class MiniDfsScheduleTest {
  private static MiniDFSCluster cluster;

  @BeforeAll
  static void startCluster() throws IOException {
    Configuration conf = new Configuration();
    conf.set(
        MiniDFSCluster.HDFS_MINIDFS_BASEDIR,
        Path.of("target", "minidfs-checkpoint").toAbsolutePath().toString());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.shutdown(true);
    }
  }

  @Test
  void everyScheduleIsBitIdenticalWithSlowTierOnHdfs() throws IOException {
    long base = Long.getLong("rewind.seed", 77031L);
    URI root = URI.create(cluster.getFileSystem().getUri() + "/rewind/checkpoints");
    try (BlobStore hdfs = BlobStores.hadoop(root, cluster.getConfiguration(0))) {
      for (int i = 0; i < 2; i++) {
        long seed = base + i;
        Cases c = Cases.draw(seed, 150, 400);
        System.out.println("case " + c);
        // few slow-tier states per plan: an HDFS write takes a good part of a second here
        int t = c.steps();
        List<Schedule> slowTierSchedules =
            List.of(
                PeriodicSchedule.remote(t, t / 3 + 1),
                new DoubleCheckpointSchedule(t, t / 3 + 1, 16),
                TwoLevelSchedule.optimal(t, 2, 16, Cases.cost()));
        for (Schedule s : slowTierSchedules) {
          assertTrue(ScheduleSimulator.simulate(s, Cases.cost()).slowSaves() > 0, s.description());
        }
        ScheduleEquivalenceTest.check(c, hdfs, slowTierSchedules);
      }
    }
  }

  /**
   * A whole sequence paused with copies of its slow-tier checkpoints in a bundle on HDFS and lost
   * unfinished; another trainer, reading the bundle as another process would, finishes its backward
   * from the copies with the store-all bits.
   */
  @Test
  void aLostSegmentFinishesFromCopiesOnHdfs(@TempDir Path dir) throws IOException {
    Cases c = Cases.draw(Long.getLong("rewind.seed", 77041L), 120, 200);
    URI file = URI.create(cluster.getFileSystem().getUri() + "/rewind/copies/segment.bundle");
    Configuration conf = cluster.getConfiguration(0);
    TrainerSettings settings =
        TrainerSettings.of(
            ScheduleSpec.parse("remote:k=" + (c.steps() / 3 + 1)), MemoryBudget.UNLIMITED, "disk");
    SegmentBoundary whole = SegmentBoundary.whole(c.steps());
    try (BlobStore slow = BlobStores.localDisk(dir.resolve("slow"));
        BlobBundleWriter written = BlobBundleWriter.create(file, conf);
        SequenceTrainer lost =
            new SequenceTrainer(c.config(), c.batch(), slow, settings, Cases.cost())) {
      CopiedCheckpoints copies;
      try (PausedSegment paused =
          lost.pause(
                  c.parameters(),
                  c.frames(),
                  whole,
                  1,
                  written,
                  new CopiedCheckpoints.Name("hdfs-run", 1, 0))
              .orElseThrow()) {
        written.publish();
        copies = paused.copies();
      }
      assertTrue(copies.steps().length >= 2, "copies of the remote checkpoints");
      BpttResult expected = new StoreAllBptt(c.config(), c.batch()).run(c.parameters(), c.frames());
      try (BlobBundle read = BlobBundle.open(file, conf);
          SequenceTrainer other =
              new SequenceTrainer(c.config(), c.batch(), slow, settings, Cases.cost())) {
        SegmentResult r = other.gradient(c.parameters(), c.frames(), whole, read, copies);
        assertEquals(expected.loss(), r.loss().loss(), "case " + c);
        assertArrayEquals(expected.gradient(), r.gradient(), "case " + c);
        long again = other.gradient(c.parameters(), c.frames(), whole).metrics().advancedSteps();
        assertTrue(
            r.metrics().advancedSteps() < again,
            "forward steps from the copies "
                + r.metrics().advancedSteps()
                + ", from the start "
                + again);
      }
    }
  }
}
