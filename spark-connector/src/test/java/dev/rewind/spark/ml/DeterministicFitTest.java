package dev.rewind.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.rewind.spark.CueTask;
import dev.rewind.spark.SparkSessions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same data, seed and configuration give the same bits on two executor JVMs ({@code
 * local-cluster[2,1,1024]}, three fits), on {@code local[2]} and on {@code local[1]}, for rows that
 * reach the Estimator through a shuffle ({@code repartition}, the order of whose blocks varies from
 * run to run) and for repartitioned Parquet. Runs in the {@code cluster} surefire execution.
 */
@Tag("cluster")
@Timeout(600)
class DeterministicFitTest {
  private static final long SEED = 23;

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

  private static SparkSession session(String master) throws Exception {
    return master.startsWith("local-cluster")
        ? SparkSessions.localCluster()
        : SparkSessions.local(master);
  }

  /** Parameters fitted from shuffled in-memory rows and from repartitioned Parquet. */
  private static List<float[]> fits(String master, String parquet) throws Exception {
    SparkSession spark = session(master);
    try {
      CueTask task = new CueTask(SEED, 32, 30, 8);
      Dataset<Row> shuffled = task.denseRows(spark).repartition(3);
      Dataset<Row> fromParquet = spark.read().parquet(parquet).repartition(4);
      return List.of(
          classifier().fit(shuffled).parameters(), classifier().fit(fromParquet).parameters());
    } finally {
      spark.stop();
    }
  }

  @Test
  void fitsAreBitIdenticalOnEveryMaster(@TempDir Path dir) throws Exception {
    String parquet = dir.resolve("rows").toString();
    SparkSession writer = SparkSessions.local("local[2]");
    try {
      new CueTask(SEED, 32, 30, 8).denseRows(writer).repartition(3).write().parquet(parquet);
    } finally {
      writer.stop();
    }
    List<String> masters =
        List.of(
            "local-cluster[2,1,1024]",
            "local-cluster[2,1,1024]",
            "local-cluster[2,1,1024]",
            "local[2]",
            "local[1]");
    List<List<float[]>> results = new ArrayList<>();
    for (String master : masters) {
      results.add(fits(master, parquet));
    }
    List<float[]> first = results.get(0);
    // The two inputs hold the same rows: they train the same model too.
    assertArrayEquals(first.get(0), first.get(1), "shuffled rows vs repartitioned Parquet");
    for (int run = 1; run < masters.size(); run++) {
      for (int input = 0; input < 2; input++) {
        assertArrayEquals(
            first.get(input),
            results.get(run).get(input),
            "fit " + (run + 1) + " on " + masters.get(run) + ", input " + input);
      }
    }
  }
}
