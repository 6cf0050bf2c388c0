package dev.rewind.spark.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.rewind.spark.SparkSessions;
import dev.rewind.spark.internal.data.Chunk;
import dev.rewind.trainer.model.LossSpec;
import java.util.Arrays;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A segment-parallel step on two separate executor JVMs ({@code local-cluster[2,1,1024]}, Kryo with
 * registration required): sequences cut in time into S = 1 to 4 segments, each segment run by its
 * own task under a schedule with checkpoints on the executor's local disk, boundary states and
 * adjoints through the driver. Its gradient and loss equal the single-JVM store-all BPTT of the
 * same micro-batches bit for bit, under store-all, Double Checkpointing and auto inside the
 * segments. Where the budget has room, each forward task keeps its segment paused on its executor
 * and the backward finishes it there: nothing is recomputed.
 */
@Tag("cluster")
@Timeout(300)
class SegmentParallelGradientTest {

  @Test
  void segmentsOnSeparateExecutorJvmsGiveTheSingleJvmGradientBitForBit() throws Exception {
    SparkSession spark = SparkSessions.localCluster();
    try {
      GradientFixture fixture = new GradientFixture(6, 60, 8);
      // Chunks of 7 steps: segment bounds fall inside chunks, which then go to both segments.
      Dataset<Row> rows = fixture.task.chunkedRows(spark, 7, 3);
      String[][] cases = {
        {"segments:1", "store-all"},
        {"segments:2", "double:K=12,k=4"},
        {"segments:3", "auto"},
        {"segments:4", "store-all"},
        {"segments:4,micro=2", "double:K=9,k=3"},
      };
      for (String[] c : cases) {
        checkAgainstTheSingleJvm(fixture, rows, c[0], c[1]);
      }
      // last:25 of 60 steps: the loss head's window starts inside a middle segment.
      GradientFixture last = new GradientFixture(6, 60, 8, new LossSpec(25));
      checkAgainstTheSingleJvm(last, rows, "segments:3", "store-all");
      checkAgainstTheSingleJvm(last, rows, "segments:4", "double:K=9,k=3");
    } finally {
      spark.stop();
    }
  }

  private static void checkAgainstTheSingleJvm(
      GradientFixture fixture, Dataset<Row> rows, String segments, String schedule)
      throws Exception {
    Parallelism parallelism = Parallelism.parse(segments);
    GradientFixture.SegmentRun run =
        fixture.segmentParallel(
            rows, GradientFixture.dense("seq_id"), parallelism, "", "seg", schedule);
    GradientSum expected = fixture.microBatchReference(run.plan());
    String what =
        segments + " under " + schedule + ", loss " + fixture.config.loss() + ", " + run.plan();
    System.out.println(
        what
            + ": loss "
            + run.sum().meanLoss()
            + ", forward steps "
            + run.sum().forwardSteps()
            + ", recomputed "
            + run.sum().recomputedSteps());
    assertEquals(6, run.sum().sequences(), what);
    assertEquals(expected.meanLoss(), run.sum().meanLoss(), what);
    assertEquals(expected.accuracy(), run.sum().accuracy(), what);
    assertArrayEquals(expected.meanGradient(), run.sum().meanGradient(), what);
    if (!schedule.startsWith("double")) {
      // Each non-last segment's backward found on its executor what its forward kept.
      assertEquals(0, run.sum().recomputedSteps(), what + ": steps recomputed");
      assertEquals(60L * 6 / run.plan().members()[0][0].length, run.sum().forwardSteps(), what);
    }
  }

  /**
   * Segment k's layout goes where {@code homes} says, epoch after epoch: handed each epoch the
   * swapped homes of the last, every segment's tasks follow (a chance placement would match three
   * swaps in a row one time in eight).
   */
  @Test
  void eachEpochsLayoutPutsASegmentOnTheExecutorItIsPinnedTo() throws Exception {
    SparkSession spark = SparkSessions.localCluster();
    GradientFixture fixture = new GradientFixture(4, 40, 8);
    TrainingData data =
        TrainingData.load(fixture.task.chunkedRows(spark, 7, 3), GradientFixture.dense("seq_id"));
    try {
      TaskSetup setup =
          TaskSetup.of(
              fixture.config,
              TaskSchedule.of("store-all", "256m"),
              new OffChip("", "packs"),
              "pin",
              0,
              0);
      SegmentStep step = new SegmentStep(setup, 2);
      Parallelism parallelism = Parallelism.parse("segments:2");
      String[] homes = new String[0];
      for (int epoch = 0; epoch < 4; epoch++) {
        EpochPlan e = EpochPlan.create(data.table(), GradientFixture.SEED, epoch, 4, 1);
        Broadcast<SegmentPlan> plan =
            JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(SegmentPlan.create(e, data.chunkSteps(), parallelism, 4));
        JavaPairRDD<SegmentKey, Chunk> laidOut = data.layOutSegments(plan, homes);
        try {
          step.run(laidOut, plan, 0, fixture.parameters);
        } finally {
          SegmentStep.releaseKept(laidOut, "pin");
          plan.destroy();
        }
        String[] ran = step.homes();
        System.out.println("epoch " + epoch + ": segments ran on " + Arrays.toString(ran));
        if (epoch > 0) {
          assertArrayEquals(homes, ran, "epoch " + epoch + " followed its pins");
        }
        assertNotEquals(ran[0], ran[1], "both executors hold a segment");
        homes = new String[] {ran[1], ran[0]};
      }
    } finally {
      data.release();
      spark.stop();
    }
  }
}
