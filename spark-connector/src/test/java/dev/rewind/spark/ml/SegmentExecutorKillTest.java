package dev.rewind.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.spark.CueTask;
import dev.rewind.spark.SparkSessions;
import dev.rewind.trainer.training.StepMetrics;
import dev.rewind.trainer.training.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A segment-parallel fit on {@code local-cluster[2,1,1024]} whose executor JVM is killed with
 * SIGKILL during a backward wave, while it holds the paused segments its forward tasks kept (each
 * with its checkpoints in a pack file off-chip, and copies of them on the Hadoop URI): their
 * backward runs again on the other executor from the copies, so that step recomputes less than an
 * undisturbed one, the fit ends with the bits of an undisturbed one, and no off-chip file is left
 * when it ends (its copies deleted, the dead JVM's pack folder swept). Runs in the {@code cluster}
 * surefire execution.
 */
@Tag("cluster")
@Timeout(600)
class SegmentExecutorKillTest {
  private static final long SEED = 37;

  private static SpikingSequenceClassifier classifier() {
    return new SpikingSequenceClassifier()
        .setNumChannels(8)
        .setNumClasses(2)
        .setLayers(16)
        .setEpochs(2)
        .setBatchSize(4)
        .setLearningRate(0.03)
        .setSeed(SEED)
        .setNumTasks(2)
        .setParallelism("segments:2")
        // every state off-chip, so that each backward task holds a pack file while it runs
        .setSchedule("remote:k=1");
  }

  private static TrainingListener steps(List<StepMetrics> into) {
    return new TrainingListener() {
      @Override
      public void onStep(StepMetrics metrics) {
        into.add(metrics);
      }
    };
  }

  @Test
  void anExecutorKilledInTheBackwardWaveLeavesTheFittedBitsUnchanged(@TempDir Path dir)
      throws Exception {
    SparkSession spark = SparkSessions.localCluster();
    try {
      Dataset<Row> rows = new CueTask(SEED, 8, 400, 8).denseRows(spark).cache();
      List<StepMetrics> clean = new ArrayList<>();
      Path cleanOffChip = dir.resolve("clean");
      float[] undisturbed =
          classifier()
              .setOffChipLocation(cleanOffChip.toUri().toString())
              .setListener(steps(clean))
              .fit(rows)
              .parameters();
      Path offChip = dir.resolve("offchip");
      ExecutorKiller killer = new ExecutorKiller(offChip);
      // Armed when the second step's backward wave starts: the executors then hold the segments
      // their forward tasks kept, each with a pack file, and the killed one loses them.
      SparkListener arm =
          new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart job) {
              String description = job.properties().getProperty("spark.job.description", "");
              if (description.contains("(global 2), backward wave")) {
                killer.armed.set(true);
              }
            }
          };
      spark.sparkContext().addSparkListener(arm);
      float[] disturbed;
      List<StepMetrics> killed = new ArrayList<>();
      try {
        disturbed =
            classifier()
                .setOffChipLocation(offChip.toUri().toString())
                .setListener(steps(killed))
                .fit(rows)
                .parameters();
      } finally {
        killer.stop();
        spark.sparkContext().removeSparkListener(arm);
      }
      assertEquals(1, killer.killed.get(), "one executor killed in a backward wave");
      assertArrayEquals(undisturbed, disturbed, "fit with an executor killed in a backward wave");
      // Step 2 (index 1): the lost segment's backward ran from the copies, not from its start.
      System.out.printf(
          "recomputed share of step 2: %.4f with the kill, %.4f undisturbed%n",
          killed.get(1).recomputationRatio(), clean.get(1).recomputationRatio());
      assertTrue(
          killed.get(1).recomputationRatio() < clean.get(1).recomputationRatio(),
          "recomputed share of the step with the kill "
              + killed.get(1).recomputationRatio()
              + ", undisturbed "
              + clean.get(1).recomputationRatio());
      // The dead executor's pack folder and the copies went with the fit.
      assertEquals(List.of(), ExecutorKiller.entries(offChip), "off-chip files left");
      assertEquals(List.of(), ExecutorKiller.entries(cleanOffChip), "undisturbed fit's files");
    } finally {
      spark.stop();
    }
  }
}
