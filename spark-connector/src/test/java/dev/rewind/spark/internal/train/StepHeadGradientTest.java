package dev.rewind.spark.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.spark.SparkSessions;
import dev.rewind.spark.data.InputColumns;
import dev.rewind.spark.data.Supervision;
import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.data.DenseFrames;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.data.StepLabelledFrames;
import dev.rewind.trainer.data.StepTargetFrames;
import dev.rewind.trainer.model.LossSpec;
import dev.rewind.trainer.model.Parameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-step and regression heads on Spark: rows with a label or target at every step (whole,
 * chunked and as events) give one distributed step whose mean gradient is single-JVM store-all
 * BPTT's over the same batch, normalised by the labelled steps (or targeted components) of the
 * whole batch, not by its sequences; every schedule gives store-all's bits.
 */
@Timeout(180)
class StepHeadGradientTest {
  private static final DataType FLOATS = DataTypes.createArrayType(DataTypes.FloatType);
  private static SparkSession spark;
  private static GradientFixture perStep;
  private static GradientFixture regression;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local("local[2]");
    perStep = new GradientFixture(8, 40, 8, LossSpec.PER_STEP);
    regression = new GradientFixture(8, 40, 8, LossSpec.REGRESSION);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /**
   * Sequence b's label at step t: none in sequence 0 (it scores nothing) and none before the cue
   * has passed, then one every third step.
   */
  private static int label(int b, int t) {
    return b == 0 || t < 10 || t % 3 != 0 ? -1 : (perStep.task.label(b) + t / 3) % 2;
  }

  /** Sequence b's target at step t: none (null) every fourth step, one component NaN on others. */
  private static float[] target(int b, int t) {
    if (t % 4 == 3) {
      return null;
    }
    float cue = regression.task.label(b);
    return new float[] {t % 4 == 1 ? Float.NaN : cue, (float) Math.sin(t + b)};
  }

  @Test
  void perStepLabelsGiveTheSingleJvmGradientOverTheLabelledSteps() {
    GradientFixture f = perStep;
    int[] labels = new int[f.task.sequences * f.task.steps];
    for (int b = 0; b < f.task.sequences; b++) {
      for (int t = 0; t < f.task.steps; t++) {
        labels[b * f.task.steps + t] = label(b, t);
      }
    }
    BpttResult reference = reference(f, new StepLabelledFrames(allFrames(f), labels));
    int labelled = (int) Arrays.stream(labels).filter(y -> y >= 0).count();
    assertEquals(labelled, reference.result().scored());

    Dataset<Row> whole = rows(f, Supervision.STEP_LABELS, 0);
    GradientSum sum = step(f, whole, "", "labels", "store-all", 1, Supervision.STEP_LABELS);
    assertEquals(f.task.sequences, sum.sequences());
    double relative = GradientChecks.assertClose(sum.meanGradient(), reference.gradient());
    assertEquals(reference.result().loss(), sum.meanLoss(), 1e-6 * reference.result().loss());
    assertEquals(reference.result().accuracy(), sum.accuracy(), 1e-12);
    System.out.println("per-step head, local[2] vs single-JVM batch: max relative " + relative);

    GradientSum chunked =
        step(
            f,
            rows(f, Supervision.STEP_LABELS, 7),
            "seq_id",
            "labels-chunked",
            "store-all",
            1,
            Supervision.STEP_LABELS);
    assertArrayEquals(sum.meanGradient(), chunked.meanGradient());
    assertEquals(sum.meanLoss(), chunked.meanLoss());
    for (String schedule : List.of("periodic:k=6", "revolve:slots=3", "double:K=10,k=3")) {
      GradientSum s = step(f, whole, "", schedule, schedule, 1, Supervision.STEP_LABELS);
      assertArrayEquals(sum.meanGradient(), s.meanGradient(), schedule);
      assertEquals(sum.meanLoss(), s.meanLoss(), schedule);
    }
    GradientSum batched = step(f, whole, "", "labels-b4", "store-all", 4, Supervision.STEP_LABELS);
    GradientChecks.assertClose(batched.meanGradient(), reference.gradient());
  }

  @Test
  void regressionTargetsGiveTheSingleJvmGradientOverTheTargetedComponents() {
    GradientFixture f = regression;
    int c = f.config.classes();
    float[] targets = new float[f.task.sequences * f.task.steps * c];
    for (int b = 0; b < f.task.sequences; b++) {
      for (int t = 0; t < f.task.steps; t++) {
        float[] z = target(b, t);
        for (int k = 0; k < c; k++) {
          targets[(b * f.task.steps + t) * c + k] = z == null ? Float.NaN : z[k];
        }
      }
    }
    BpttResult reference = reference(f, new StepTargetFrames(allFrames(f), c, targets));
    GradientSum sum =
        step(
            f,
            rows(f, Supervision.STEP_TARGETS, 0),
            "",
            "targets",
            "store-all",
            1,
            Supervision.STEP_TARGETS);
    GradientChecks.assertClose(sum.meanGradient(), reference.gradient());
    assertEquals(reference.result().loss(), sum.meanLoss(), 1e-6 * reference.result().loss());
    GradientSum chunked =
        step(
            f,
            rows(f, Supervision.STEP_TARGETS, 9),
            "seq_id",
            "targets-chunked",
            "revolve:slots=3",
            1,
            Supervision.STEP_TARGETS);
    assertArrayEquals(sum.meanGradient(), chunked.meanGradient());
  }

  @Test
  void segmentParallelStepsGiveTheMicroBatchesGradientsBitForBit() {
    String[][] cases = {
      {"segments:2", "store-all"}, {"segments:3", "revolve:slots=2"}, {"segments:4,micro=2", "auto"}
    };
    for (String[] c : cases) {
      checkSegments(perStep, Supervision.STEP_LABELS, c[0], c[1]);
    }
    checkSegments(regression, Supervision.STEP_TARGETS, "segments:3", "double:K=10,k=3");
  }

  /**
   * A segment-parallel step over chunks of 7 steps (segment bounds fall inside chunks) against
   * store-all over each micro-batch's whole sequences: the labelled steps of the whole micro-batch
   * seed every segment, and the loss is summed from the last segment to the first.
   */
  private static void checkSegments(
      GradientFixture f, Supervision supervision, String segments, String schedule) {
    GradientFixture.SegmentRun run =
        f.segmentParallel(
            rows(f, supervision, 7),
            GradientFixture.dense("seq_id"),
            Parallelism.parse(segments),
            "",
            "seg-" + segments,
            schedule,
            supervision);
    GradientSum expected =
        f.microBatchReference(
            run.plan(),
            b -> {
              DenseFrames one =
                  new DenseFrames(
                      f.task.frames(b), 1, f.task.steps, f.task.channels, new int[] {0});
              return supervision == Supervision.STEP_LABELS
                  ? new StepLabelledFrames(one, labelsOf(b, f.task.steps))
                  : new StepTargetFrames(one, 2, targetsOf(b, f.task.steps));
            });
    String what = segments + " under " + schedule + ", loss " + f.config.loss();
    assertEquals(f.task.sequences, run.sum().sequences(), what);
    assertEquals(expected.meanLoss(), run.sum().meanLoss(), what);
    assertEquals(expected.accuracy(), run.sum().accuracy(), what);
    assertArrayEquals(expected.meanGradient(), run.sum().meanGradient(), what);
    if (schedule.equals("store-all")) {
      // Each segment's backward found on its executor what its forward kept.
      assertEquals(0, run.sum().recomputedSteps(), what + ": steps recomputed");
    }
  }

  private static int[] labelsOf(int b, int steps) {
    int[] labels = new int[steps];
    for (int t = 0; t < steps; t++) {
      labels[t] = label(b, t);
    }
    return labels;
  }

  private static float[] targetsOf(int b, int steps) {
    float[] targets = new float[steps * 2];
    for (int t = 0; t < steps; t++) {
      float[] z = target(b, t);
      for (int k = 0; k < 2; k++) {
        targets[t * 2 + k] = z == null ? Float.NaN : z[k];
      }
    }
    return targets;
  }

  @Test
  void eventRowsCarryTheirPerStepLabelsToo() {
    GradientFixture f = perStep;
    GradientSum dense =
        step(
            f,
            rows(f, Supervision.STEP_LABELS, 0),
            "",
            "dense-labels",
            "store-all",
            1,
            Supervision.STEP_LABELS);
    List<Row> rows = new ArrayList<>();
    for (int b = 0; b < f.task.sequences; b++) {
      List<Integer> times = new ArrayList<>();
      List<Integer> channels = new ArrayList<>();
      float[] frames = f.task.frames(b);
      for (int t = 0; t < f.task.steps; t++) {
        for (int j = 0; j < f.task.channels; j++) {
          if (frames[t * f.task.channels + j] != 0) {
            times.add(t);
            channels.add(j);
          }
        }
      }
      rows.add(RowFactory.create(times, channels, f.task.steps, stepLabels(b, 0, f.task.steps)));
    }
    StructType schema =
        new StructType()
            .add("event_times", DataTypes.createArrayType(DataTypes.IntegerType))
            .add("event_channels", DataTypes.createArrayType(DataTypes.IntegerType))
            .add("length", DataTypes.IntegerType)
            .add("labels", DataTypes.createArrayType(DataTypes.IntegerType));
    InputColumns events = GradientFixture.events("");
    GradientSum fromEvents =
        f.distributed(
            spark.createDataFrame(rows, schema),
            events,
            2,
            "",
            "event-labels",
            "store-all",
            1,
            Supervision.STEP_LABELS);
    assertArrayEquals(dense.meanGradient(), fromEvents.meanGradient());
  }

  private static BpttResult reference(GradientFixture f, FrameSource frames) {
    return new StoreAllBptt(f.config, f.task.sequences)
        .run(Parameters.wrap(f.config, f.parameters.clone()), frames);
  }

  private static DenseFrames allFrames(GradientFixture f) {
    return new DenseFrames(
        f.task.allFrames(), f.task.sequences, f.task.steps, f.task.channels, f.task.labels());
  }

  private static GradientSum step(
      GradientFixture f,
      Dataset<Row> rows,
      String sequenceIdCol,
      String run,
      String schedule,
      int taskBatch,
      Supervision supervision) {
    return f.distributed(
        rows, GradientFixture.dense(sequenceIdCol), 2, "", run, schedule, taskBatch, supervision);
  }

  /**
   * Dense rows with a per-step column: one per sequence ({@code chunkSteps} 0) or chunks of {@code
   * chunkSteps} steps with seq_id and chunk_idx, shuffled so that ingestion must reorder them.
   */
  private static Dataset<Row> rows(GradientFixture f, Supervision supervision, int chunkSteps) {
    int steps = f.task.steps;
    int width = chunkSteps == 0 ? steps : chunkSteps;
    List<Row> rows = new ArrayList<>();
    for (int b = 0; b < f.task.sequences; b++) {
      int chunk = 0;
      for (int t = 0; t < steps; t += width) {
        int end = Math.min(steps, t + width);
        Object perStep =
            supervision == Supervision.STEP_LABELS ? stepLabels(b, t, end) : stepTargets(b, t, end);
        List<Object> values = new ArrayList<>();
        if (chunkSteps > 0) {
          values.add((long) b);
          values.add(chunk++);
        }
        values.add(frames(f, b, t, end));
        values.add(perStep);
        rows.add(RowFactory.create(values.toArray()));
      }
    }
    Collections.shuffle(rows, new Random(3));
    StructType schema = new StructType();
    if (chunkSteps > 0) {
      schema = schema.add("seq_id", DataTypes.LongType).add("chunk_idx", DataTypes.IntegerType);
    }
    schema = schema.add("frames", DataTypes.createArrayType(FLOATS));
    schema =
        supervision == Supervision.STEP_LABELS
            ? schema.add("labels", DataTypes.createArrayType(DataTypes.IntegerType))
            : schema.add("targets", DataTypes.createArrayType(FLOATS));
    return spark.createDataFrame(rows, schema);
  }

  private static List<List<Float>> frames(GradientFixture f, int b, int from, int to) {
    float[] frames = f.task.frames(b);
    List<List<Float>> out = new ArrayList<>();
    for (int t = from; t < to; t++) {
      List<Float> frame = new ArrayList<>();
      for (int j = 0; j < f.task.channels; j++) {
        frame.add(frames[t * f.task.channels + j]);
      }
      out.add(frame);
    }
    return out;
  }

  private static List<Integer> stepLabels(int b, int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int t = from; t < to; t++) {
      out.add(label(b, t));
    }
    return out;
  }

  private static List<List<Float>> stepTargets(int b, int from, int to) {
    List<List<Float>> out = new ArrayList<>();
    for (int t = from; t < to; t++) {
      float[] z = target(b, t);
      if (z == null) {
        out.add(null);
      } else {
        List<Float> v = new ArrayList<>();
        for (float x : z) {
          v.add(x);
        }
        out.add(v);
      }
    }
    return out;
  }
}
