package dev.rewind.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.trainer.schedule.DoubleCheckpointSchedule;
import dev.rewind.trainer.schedule.PeriodicSchedule;
import dev.rewind.trainer.schedule.Schedule;
import dev.rewind.trainer.schedule.ScheduleSimulator;
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
}
