package dev.rewind.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.spark.CueTask;
import dev.rewind.spark.SparkSessions;
import dev.rewind.trainer.training.StepMetrics;
import dev.rewind.trainer.training.TrainingListener;
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
        .setNumTasks(2);
  }

  /**
   * The executor JVMs of this driver: local-cluster starts them as its only java descendants (their
   * command lines are too long for the JDK to report, so the test goes by the executable).
   */
  private static List<ProcessHandle> executors() {
    return ProcessHandle.current()
        .descendants()
        .filter(p -> p.isAlive() && p.info().command().map(c -> c.endsWith("/java")).orElse(false))
        .toList();
  }

  @Test
  void aKilledExecutorLeavesTheFittedBitsUnchanged() throws Exception {
    SparkSession spark = SparkSessions.localCluster();
    try {
      Dataset<Row> rows = new CueTask(SEED, 32, 30, 8).denseRows(spark).repartition(3).cache();
      float[] undisturbed = classifier().fit(rows).parameters();

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
      AtomicInteger killed = new AtomicInteger();
      TrainingListener killer =
          new TrainingListener() {
            @Override
            public void onStep(StepMetrics m) {
              if (m.globalStep() == 3) {
                List<ProcessHandle> running = executors();
                assertEquals(2, running.size(), "executor JVMs before the kill");
                running.get(0).destroyForcibly();
                killed.incrementAndGet();
              }
            }
          };
      float[] disturbed = classifier().setListener(killer).fit(rows).parameters();
      assertEquals(1, killed.get());
      spark.sparkContext().listenerBus().waitUntilEmpty();
      assertEquals(1, removed.get(), "Spark saw the executor go");
      assertArrayEquals(undisturbed, disturbed, "fit with an executor killed after step 3");
      assertTrue(executors().size() >= 1, "Spark runs on after the kill");
    } finally {
      spark.stop();
    }
  }
}
