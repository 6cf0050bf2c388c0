package dev.rewind.spark.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.spark.SparkSessions;
import dev.rewind.spark.data.InputColumns;
import dev.rewind.spark.ml.SpikingSequenceClassificationModel;
import dev.rewind.spark.ml.SpikingSequenceClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One distributed step in local[2] against single-JVM BPTT of the same batch. */
@Timeout(120)
class DistributedGradientTest {
  private static SparkSession spark;
  private static GradientFixture fixture;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local("local[2]");
    fixture = new GradientFixture(8, 40, 8);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void distributedStepEqualsSingleJvmBatchToSummationRounding() {
    GradientSum sum =
        fixture.distributed(
            fixture.task.denseRows(spark), GradientFixture.dense(""), 2, "", "dense");
    assertEquals(8, sum.sequences());
    double relative = GradientChecks.assertClose(sum.meanGradient(), fixture.batchedReference());
    System.out.println("local[2] vs single-JVM batch: max relative difference " + relative);
    GradientChecks.assertUlps(sum.meanGradient(), fixture.sequentialReference(), 1);
  }

  @Test
  void chunkedRowsGiveTheSameGradientAsWholeRows() {
    // store-all writes no checkpoints off-chip: the off-chip bytes are spilled inputs (and the
    // cost calibration's probe, once per executor).
    GradientSum whole =
        fixture.distributed(
            fixture.task.denseRows(spark), GradientFixture.dense(""), 2, "", "whole", "store-all");
    GradientSum chunked =
        fixture.distributed(
            fixture.task.chunkedRows(spark, 7, 3),
            GradientFixture.dense("seq_id"),
            2,
            "",
            "chunk",
            "store-all");
    assertArrayEquals(whole.meanGradient(), chunked.meanGradient());
    long inputBytes = 4L * fixture.task.sequences * fixture.task.steps * fixture.task.channels;
    assertTrue(
        chunked.bytesWritten() >= inputBytes,
        "chunked sequences are spilled off-chip: expected >= "
            + inputBytes
            + " bytes, got "
            + chunked.bytesWritten());
  }

  @Test
  void taskBatchesGiveThePerSequenceStepToFloatRounding() {
    GradientSum perSequence =
        fixture.distributed(
            fixture.task.denseRows(spark), GradientFixture.dense(""), 2, "", "single", "auto", 1);
    // 8 sequences of one length over 2 slots: each task runs one batch of 4.
    GradientSum batched =
        fixture.distributed(
            fixture.task.denseRows(spark), GradientFixture.dense(""), 2, "", "batch4", "auto", 4);
    assertEquals(perSequence.sequences(), batched.sequences());
    assertEquals(perSequence.accuracy(), batched.accuracy());
    assertTrue(
        batched.forwardSteps() < perSequence.forwardSteps(),
        "batched runs advance each step once per batch: expected fewer than "
            + perSequence.forwardSteps()
            + " forward steps, got "
            + batched.forwardSteps());
    // Batched runs average over the batch and sum in another order: float rounding only.
    double lossError =
        Math.abs(batched.meanLoss() - perSequence.meanLoss()) / Math.abs(perSequence.meanLoss());
    double gradientError =
        l2(difference(batched.meanGradient(), perSequence.meanGradient()))
            / l2(perSequence.meanGradient());
    System.out.println(
        "task batch 4 vs per sequence: relative loss difference "
            + lossError
            + ", relative gradient L2 difference "
            + gradientError);
    assertTrue(lossError <= 1e-6, "relative loss difference " + lossError + " > 1e-6");
    assertTrue(gradientError <= 1e-5, "relative gradient difference " + gradientError + " > 1e-5");

    // Chunked (spilled) sequences are computed one by one whatever the task batch.
    GradientSum chunked =
        fixture.distributed(
            fixture.task.chunkedRows(spark, 7, 3),
            GradientFixture.dense("seq_id"),
            2,
            "",
            "chunk4",
            "auto",
            4);
    assertArrayEquals(perSequence.meanGradient(), chunked.meanGradient());
  }

  private static float[] difference(float[] a, float[] b) {
    float[] d = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i] - b[i];
    }
    return d;
  }

  private static double l2(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }

  @Test
  void eventRowsGiveTheSameGradientAsDenseRows() {
    GradientSum dense =
        fixture.distributed(
            fixture.task.denseRows(spark), GradientFixture.dense(""), 2, "", "dense2");
    InputColumns events = GradientFixture.events("");
    GradientSum fromEvents = fixture.distributed(eventRows(), events, 2, "", "events");
    assertArrayEquals(dense.meanGradient(), fromEvents.meanGradient());
  }

  private Dataset<Row> eventRows() {
    List<Row> rows = new ArrayList<>();
    var task = fixture.task;
    for (int b = 0; b < task.sequences; b++) {
      List<Integer> times = new ArrayList<>();
      List<Integer> channels = new ArrayList<>();
      float[] f = task.frames(b);
      for (int t = 0; t < task.steps; t++) {
        for (int j = 0; j < task.channels; j++) {
          if (f[t * task.channels + j] != 0) {
            times.add(t);
            channels.add(j);
          }
        }
      }
      rows.add(RowFactory.create(times, channels, task.steps, task.label(b)));
    }
    StructType schema =
        new StructType()
            .add("event_times", DataTypes.createArrayType(DataTypes.IntegerType))
            .add("event_channels", DataTypes.createArrayType(DataTypes.IntegerType))
            .add("length", DataTypes.IntegerType)
            .add("label", DataTypes.IntegerType);
    return spark.createDataFrame(rows, schema);
  }

  @Test
  void wrongSchemaFailsFitAndTransformBeforeAnyJobNamingColumnAndTypes() throws Exception {
    StructType schema =
        new StructType()
            .add(
                "frames",
                DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType)))
            .add("label", DataTypes.IntegerType);
    Dataset<Row> bad = spark.createDataFrame(List.of(), schema);
    AtomicInteger jobs = new AtomicInteger();
    SparkListener counter =
        new SparkListener() {
          @Override
          public void onJobStart(SparkListenerJobStart jobStart) {
            jobs.incrementAndGet();
          }
        };
    spark.sparkContext().addSparkListener(counter);
    try {
      SpikingSequenceClassifier classifier =
          new SpikingSequenceClassifier().setNumChannels(8).setNumClasses(2);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> classifier.fit(bad));
      assertEquals(
          "column 'frames': expected type array<array<float>>, got array<array<double>>",
          e.getMessage());
      SpikingSequenceClassificationModel model =
          new SpikingSequenceClassificationModel("m", fixture.parameters, List.of())
              .setSequenceIdCol("seq_id");
      StructType chunked =
          new StructType()
              .add("seq_id", DataTypes.StringType)
              .add("chunk_idx", DataTypes.IntegerType)
              .add(
                  "frames",
                  DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)));
      IllegalArgumentException t =
          assertThrows(
              IllegalArgumentException.class,
              () -> model.transform(spark.createDataFrame(List.of(), chunked)));
      assertEquals("column 'seq_id': expected type bigint or int, got string", t.getMessage());
      spark.sparkContext().listenerBus().waitUntilEmpty();
      assertEquals(0, jobs.get(), "jobs run before the schema errors");
    } finally {
      spark.sparkContext().removeSparkListener(counter);
    }
  }
}
