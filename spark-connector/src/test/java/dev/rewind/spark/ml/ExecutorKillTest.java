package dev.rewind.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.spark.CueTask;
import dev.rewind.spark.SparkSessions;
import dev.rewind.trainer.training.StepMetrics;
import dev.rewind.trainer.training.TrainingListener;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor JVM killed with SIGKILL in the middle of a fit on {@code local-cluster[2,1,1024]}:
 * the fit goes on (Spark starts another executor and recomputes what the dead one held) and ends
 * with the bits of a fit nobody disturbed. Runs in the {@code cluster} surefire execution.
 */
@Tag("cluster")
@Timeout(600)
class ExecutorKillTest {
  private static final long SEED = 31;

  private static SpikingSequenceClassifier classifier() {
    return new SpikingSequenceClassifier()
        .setNumChannels(8)
        .setNumClasses(2)
        .setLayers(16)
        .setEpochs(2)
        .setBatchSize(8)
        .setLearningRate(0.03)
        .setSeed(SEED)
        .setNumTasks(2)
        // every state off-chip, so that each task holds a pack file while it runs
        .setSchedule("remote:k=1");
  }

  @Test
  void aKilledExecutorLeavesTheFittedBitsUnchangedAndTheNextFitSweepsItsFiles(@TempDir Path dir)
      throws Exception {
    SparkSession spark = SparkSessions.localCluster();
    try {
      Dataset<Row> rows = new CueTask(SEED, 32, 30, 8).denseRows(spark).repartition(3).cache();
      float[] undisturbed = classifier().fit(rows).parameters();
      Path offChip = dir.resolve("offchip");

      AtomicInteger removed = new AtomicInteger();
      spark
          .sparkContext()
          .addSparkListener(
              new SparkListener() {
                @Override
                public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
                  removed.incrementAndGet();
                }
              });
      // Once step 3 is done, the first executor seen holding an open off-chip store (its pack
      // folder is named by its pid) is killed mid-task.
      ExecutorKiller killer = new ExecutorKiller(offChip);
      TrainingListener arm =
          new TrainingListener() {
            @Override
            public void onStep(StepMetrics m) {
              if (m.globalStep() == 3) {
                assertEquals(2, ExecutorKiller.executors().size(), "executor JVMs before the kill");
                killer.armed.set(true);
              }
            }
          };
      float[] disturbed;
      try {
        disturbed =
            classifier()
                .setOffChipLocation(offChip.toUri().toString())
                .setListener(arm)
                .fit(rows)
                .parameters();
      } finally {
        killer.stop();
      }
      assertEquals(1, killer.killed.get());
      spark.sparkContext().listenerBus().waitUntilEmpty();
      assertEquals(1, removed.get(), "Spark saw the executor go");
      assertArrayEquals(
          undisturbed, disturbed, "fit with an executor killed mid-task after step 3");
      assertTrue(ExecutorKiller.executors().size() >= 1, "Spark runs on after the kill");
      // The live executors' stores removed their pack folders, the fit's end the killed one's.
      assertEquals(List.of(), ExecutorKiller.entries(offChip), "off-chip files left");
    } finally {
      spark.stop();
    }
  }
}
