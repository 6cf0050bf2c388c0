package dev.rewind.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.spark.CueTask;
import dev.rewind.spark.SparkSessions;
import dev.rewind.trainer.training.StepMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Estimator with {@code parallelism = segments:S}: a fit trains as the data-parallel one does
 * (the same losses to float rounding, since only the micro-batching differs), leaves no off-chip
 * file behind, and bad settings fail before any training job, naming the Param.
 */
class SegmentParallelFitTest {
  private static final long SEED = 31;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local("local[2]");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static SpikingSequenceClassifier classifier(Path offChip) {
    return new SpikingSequenceClassifier()
        .setNumChannels(8)
        .setNumClasses(2)
        .setLayers(16)
        .setEpochs(2)
        .setBatchSize(4)
        .setLearningRate(0.03)
        .setSeed(SEED)
        .setNumTasks(2)
        .setOffChipLocation(offChip.toUri().toString());
  }

  @Test
  void aSegmentParallelFitTrainsAsTheDataParallelOneAndLeavesNoFiles(@TempDir Path dir)
      throws Exception {
    Dataset<Row> rows = new CueTask(SEED, 8, 60, 8).denseRows(spark);
    List<StepMetrics> data = classifier(dir.resolve("data")).fit(rows).history();
    Path offChip = dir.resolve("segments");
    List<StepMetrics> segments =
        classifier(offChip)
            .setParallelism("segments:3")
            .setSchedule("double:K=8,k=3")
            .fit(rows)
            .history();
    assertEquals(data.size(), segments.size());
    for (int i = 0; i < data.size(); i++) {
      double a = data.get(i).loss();
      double b = segments.get(i).loss();
      System.out.println("step " + i + ": data " + a + ", segments:3 " + b);
      assertEquals(a, b, 1e-5 * Math.abs(a), "step " + i);
      assertEquals(4, segments.get(i).sequences());
    }
    try (Stream<Path> left = Files.walk(offChip)) {
      assertEquals(List.of(), left.filter(Files::isRegularFile).toList(), "files left off-chip");
    }
  }

  /**
   * Cancelled as its second step's backward wave starts, while the executor keeps every segment's
   * paused forward (checkpoints in pack files off-chip): the fit fails, and ending it frees them.
   */
  @Test
  void aFitThatFailsBetweenTheWavesLeavesNoKeptSegmentOrFile(@TempDir Path dir) {
    Dataset<Row> rows = new CueTask(SEED, 8, 60, 8).denseRows(spark);
    Path offChip = dir.resolve("cancelled");
    // From the second step's backward wave on, every job is cancelled as it starts: the listener
    // hears of a job after it began, so one that ends first must not let the fit go on.
    java.util.concurrent.atomic.AtomicBoolean armed =
        new java.util.concurrent.atomic.AtomicBoolean();
    SparkListener cancel =
        new SparkListener() {
          @Override
          public void onJobStart(SparkListenerJobStart job) {
            java.util.Properties p = job.properties();
            String description = p == null ? "" : p.getProperty("spark.job.description", "");
            if (description.contains("(global 2), backward wave, job 1/")) {
              armed.set(true);
            }
            String group = p == null ? null : p.getProperty("spark.jobGroup.id");
            if (armed.get() && group != null && group.contains("-epoch-")) {
              spark.sparkContext().cancelJobGroup(group);
            }
          }
        };
    spark.sparkContext().addSparkListener(cancel);
    try {
      SpikingSequenceClassifier segments =
          classifier(offChip).setParallelism("segments:2").setSchedule("remote:k=5");
      Exception failed = assertThrows(Exception.class, () -> segments.fit(rows));
      assertTrue(String.valueOf(failed.getMessage()).contains("cancel"), failed.toString());
    } finally {
      spark.sparkContext().removeSparkListener(cancel);
    }
    assertTrue(Files.isDirectory(offChip), "the location the fit was given stays");
    try (Stream<Path> left = Files.walk(offChip)) {
      assertEquals(List.of(), left.filter(Files::isRegularFile).toList(), "files left off-chip");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void autoPicksTheFewestSegmentsThatFitTheBudget(@TempDir Path dir) {
    Dataset<Row> rows = new CueTask(SEED, 8, 60, 8).denseRows(spark);
    String budget = System.getProperty("rewind.autoBudget", "6k");
    // What the explicit settings do with this budget: the first that fits is what auto must pick.
    String fits = null;
    for (String p : List.of("data", "segments:2", "segments:3", "segments:4", "segments:6")) {
      try {
        List<StepMetrics> h =
            classifier(dir)
                .setEpochs(1)
                .setSchedule("store-all")
                .setMemoryBudget(budget)
                .setParallelism(p)
                .fit(rows)
                .history();
        fits = fits == null ? p + "=" + h.get(h.size() - 1).loss() : fits;
      } catch (IllegalArgumentException e) {
        assertTrue(e.getMessage().startsWith("memoryBudget: "), e.getMessage());
        System.out.println(p + " within " + budget + ": " + e.getMessage());
      }
    }
    System.out.println("first fitting: " + fits);
    assertTrue(fits != null && fits.startsWith("segments:"), "a budget only segments fit: " + fits);
    SpikingSequenceClassificationModel model =
        classifier(dir)
            .setEpochs(1)
            .setSchedule("store-all")
            .setMemoryBudget(budget)
            .setParallelism("auto")
            .fit(rows);
    List<StepMetrics> auto = model.history();
    assertEquals(fits.substring(fits.indexOf('=') + 1), "" + auto.get(auto.size() - 1).loss());
    assertEquals(fits.substring(0, fits.indexOf('=')), model.parallelismUsed());
    assertEquals("auto", model.getParallelism(), "the Param keeps what was asked");
  }

  @Test
  void badSegmentSettingsFailNamingTheParamAndTheSequence(@TempDir Path dir) {
    IllegalArgumentException parse =
        assertThrows(
            IllegalArgumentException.class, () -> classifier(dir).setParallelism("segments:0"));
    assertTrue(parse.getMessage().contains("parallelism"), parse.getMessage());
    Dataset<Row> rows = new CueTask(SEED, 4, 5, 8).denseRows(spark);
    IllegalArgumentException tooShort =
        assertThrows(
            IllegalArgumentException.class,
            () -> classifier(dir).setParallelism("segments:8").fit(rows));
    assertTrue(
        tooShort.getMessage().contains("has 5 steps: parallelism segments:8 needs at least 8"),
        tooShort.getMessage());
  }
}
