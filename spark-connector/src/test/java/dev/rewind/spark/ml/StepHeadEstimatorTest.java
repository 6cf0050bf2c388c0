package dev.rewind.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.spark.CueTask;
import dev.rewind.spark.SparkSessions;
import dev.rewind.trainer.data.DenseFrames;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.data.StepLabelledFrames;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.LossSpec;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.ModelSetup;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.Surrogate;
import dev.rewind.trainer.optim.AdamConfig;
import dev.rewind.trainer.optim.LearningRatePolicy;
import dev.rewind.trainer.optim.SgdConfig;
import dev.rewind.trainer.training.GradientFunction;
import dev.rewind.trainer.training.TrainingConfig;
import dev.rewind.trainer.training.TrainingListener;
import dev.rewind.trainer.training.TrainingLoop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-step and regression heads through the Estimator: rows with {@code labels array<int>} or
 * {@code targets array<array<float>>} train what the JVM loop trains on the same per-step batches,
 * the Model predicts at every step, evaluates, saves and loads, and bad per-step values fail naming
 * the column, the row and the step before any training job.
 */
@Timeout(300)
class StepHeadEstimatorTest {
  private static final long SEED = 11;

  private static SparkSession spark;
  private static CueTask task;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local("local[2]");
    task = new CueTask(SEED, 32, 30, 8);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** The cue's class at every step after the cue and a settling time; none before. */
  private static int label(int b, int t) {
    return t < 12 ? -1 : task.label(b);
  }

  private static ModelSetup setup(LossSpec head) {
    ModelConfig network =
        new ModelConfig(
            8,
            List.of(
                LayerConfig.adaptive(20, true, LayerConfig.betaOf(30), 1.2, 25),
                new LayerConfig(12, false, LayerConfig.betaOf(10))),
            2,
            new Surrogate.FastSigmoid(8),
            0.9,
            LayerConfig.betaOf(15),
            head);
    return new ModelSetup(network, new InitScheme(50, 2, 1.5), SEED);
  }

  private static TrainingConfig training(int epochs) {
    return new TrainingConfig(
        epochs, 8, AdamConfig.defaults(0.02), new LearningRatePolicy.Cosine(2, 0.1), 0.5, 0);
  }

  private static SpikingSequenceClassifier estimator(LossSpec head, int epochs) {
    return new SpikingSequenceClassifier()
        .setModelSetup(setup(head))
        .setTrainingConfig(training(epochs))
        .setSchedule("store-all")
        .setNumTasks(2);
  }

  /** Dense rows with frames and, per head, a label column or a per-step column. */
  private static Dataset<Row> rows(LossSpec head) {
    List<Row> rows = new ArrayList<>();
    for (int b = 0; b < task.sequences; b++) {
      Object perStep;
      if (head.regression()) {
        List<List<Float>> targets = new ArrayList<>();
        for (int t = 0; t < task.steps; t++) {
          int y = label(b, t);
          targets.add(y < 0 ? null : List.of(y == 0 ? 1f : 0f, y == 1 ? 1f : Float.NaN));
        }
        perStep = targets;
      } else {
        List<Integer> labels = new ArrayList<>();
        for (int t = 0; t < task.steps; t++) {
          labels.add(label(b, t));
        }
        perStep = labels;
      }
      rows.add(RowFactory.create(frames(b), perStep));
    }
    ArrayType floats = DataTypes.createArrayType(DataTypes.FloatType);
    StructType schema =
        new StructType()
            .add("frames", DataTypes.createArrayType(floats))
            .add(
                head.regression() ? "targets" : "labels",
                head.regression()
                    ? DataTypes.createArrayType(floats)
                    : DataTypes.createArrayType(DataTypes.IntegerType));
    return spark.createDataFrame(rows, schema);
  }

  private static List<List<Float>> frames(int b) {
    float[] f = task.frames(b);
    List<List<Float>> out = new ArrayList<>();
    for (int t = 0; t < task.steps; t++) {
      List<Float> frame = new ArrayList<>();
      for (int j = 0; j < task.channels; j++) {
        frame.add(f[t * task.channels + j]);
      }
      out.add(frame);
    }
    return out;
  }

  /** The JVM loop over epoch 0's mini-batches as the Estimator's plan draws them, per-step. */
  private static float[] jvm(ModelSetup setup, TrainingConfig t, Dataset<Row> rows) {
    long[] ids = CueTask.rowIds(rows, "frames", "labels");
    List<FrameSource> batches = new ArrayList<>();
    for (List<Integer> members :
        SingleJvmTrainer.miniBatches(ids, task.steps, setup.seed(), 0, t.batchSize(), 2)) {
      int frame = task.steps * task.channels;
      float[] values = new float[members.size() * frame];
      int[] labels = new int[members.size() * task.steps];
      for (int k = 0; k < members.size(); k++) {
        System.arraycopy(task.frames(members.get(k)), 0, values, k * frame, frame);
        for (int step = 0; step < task.steps; step++) {
          labels[k * task.steps + step] = label(members.get(k), step);
        }
      }
      DenseFrames dense =
          new DenseFrames(
              values, members.size(), task.steps, task.channels, new int[members.size()]);
      batches.add(new StepLabelledFrames(dense, labels));
    }
    Parameters p = setup.initialParameters();
    GradientFunction gradients = GradientFunction.storeAll(setup.network(), t.batchSize());
    new TrainingLoop(t, gradients).train(p, batches, List.of(), TrainingListener.NONE);
    return p.data();
  }

  @Test
  void thePerStepHeadTrainsTheJvmLoopsParametersWithinTheBound() {
    Dataset<Row> rows = rows(LossSpec.PER_STEP);
    // Plain SGD without clipping: its steps scale with the gradient, so a mean over the wrong
    // count (sequences instead of labelled steps) would show.
    TrainingConfig sgd =
        new TrainingConfig(1, 8, SgdConfig.plain(0.5), new LearningRatePolicy.Constant(), 0, 0);
    float[] spark = estimator(LossSpec.PER_STEP, 1).setTrainingConfig(sgd).fit(rows).parameters();
    float[] jvm = jvm(setup(LossSpec.PER_STEP), sgd, rows);
    EngineParityTest.assertWithinTheBound(jvm, spark, "per-step head vs JVM loop");
    float[] initial = setup(LossSpec.PER_STEP).initialParameters().data();
    assertFalse(java.util.Arrays.equals(initial, spark), "four SGD steps moved the parameters");
  }

  @Test
  void thePerStepModelPredictsEveryStepAndSavesAndLoads(@TempDir Path dir) throws Exception {
    Dataset<Row> rows = rows(LossSpec.PER_STEP);
    SpikingSequenceClassificationModel model = estimator(LossSpec.PER_STEP, 6).fit(rows);
    List<Double> losses = new ArrayList<>();
    model.history().forEach(m -> losses.add(m.loss()));
    assertTrue(
        losses.get(losses.size() - 1) < losses.get(0),
        "the per-step loss falls over 6 epochs: " + losses);

    Dataset<Row> predicted = model.transform(rows);
    assertEquals(
        "array<int>", predicted.schema().apply("prediction").dataType().simpleString(), "per step");
    assertEquals(
        "array<array<float>>", predicted.schema().apply("probability").dataType().simpleString());
    Row first = predicted.first();
    List<Integer> prediction = first.getList(first.fieldIndex("prediction"));
    List<Object> probability = first.getList(first.fieldIndex("probability"));
    assertEquals(task.steps, prediction.size());
    assertEquals(task.steps, probability.size());
    scala.collection.Seq<?> p0 = (scala.collection.Seq<?>) probability.get(0);
    assertEquals(1.0, ((Float) p0.apply(0)) + ((Float) p0.apply(1)), 1e-6);

    // The evaluation scores the labelled steps: the accuracy of the predictions at those steps.
    Evaluation e = model.evaluate(rows);
    assertEquals(task.sequences, e.sequences());
    long right = 0;
    long labelled = 0;
    for (Row r : predicted.select("labels", "prediction").collectAsList()) {
      List<Integer> labels = r.getList(0);
      List<Integer> predictions = r.getList(1);
      for (int t = 0; t < labels.size(); t++) {
        if (labels.get(t) >= 0) {
          labelled++;
          right += labels.get(t).equals(predictions.get(t)) ? 1 : 0;
        }
      }
    }
    assertEquals((double) right / labelled, e.accuracy(), 1e-12);
    assertTrue(e.loss() > 0 && Double.isFinite(e.loss()), "loss " + e.loss());

    String path = dir.resolve("model").toString();
    model.write().save(path);
    SpikingSequenceClassificationModel loaded = SpikingSequenceClassificationModel.load(path);
    assertEquals("per-step", loaded.getLoss());
    assertEquals(
        predicted.select("prediction").collectAsList(),
        loaded.transform(rows).select("prediction").collectAsList());
  }

  @Test
  void chunkedRowsPredictEverySequenceWholeAsItsSingleRowDoes() {
    Dataset<Row> whole = rows(LossSpec.PER_STEP);
    SpikingSequenceClassificationModel model = estimator(LossSpec.PER_STEP, 1).fit(whole);
    List<Row> rows = new ArrayList<>();
    for (int b = 0; b < 4; b++) {
      List<List<Float>> frames = frames(b);
      int chunk = 0;
      for (int t = 0; t < task.steps; t += 7) {
        int end = Math.min(task.steps, t + 7);
        List<Integer> labels = new ArrayList<>();
        for (int step = t; step < end; step++) {
          labels.add(label(b, step));
        }
        rows.add(RowFactory.create((long) b, chunk++, frames.subList(t, end), labels));
      }
    }
    java.util.Collections.shuffle(rows, new java.util.Random(5));
    StructType schema =
        new StructType()
            .add("seq_id", DataTypes.LongType)
            .add("chunk_idx", DataTypes.IntegerType)
            .add(
                "frames", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)))
            .add("labels", DataTypes.createArrayType(DataTypes.IntegerType));
    Dataset<Row> chunked = spark.createDataFrame(rows, schema);
    List<Row> bySequence =
        model
            .copy(new org.apache.spark.ml.param.ParamMap())
            .setSequenceIdCol("seq_id")
            .transform(chunked)
            .orderBy("seq_id")
            .collectAsList();
    // transform keeps the rows' order: row b of the whole rows is sequence b.
    List<Row> single = model.transform(whole).select("prediction", "probability").collectAsList();
    assertEquals(4, bySequence.size());
    for (Row r : bySequence) {
      int b = (int) r.getLong(0);
      List<Integer> expected = single.get(b).getList(0);
      assertEquals(expected, r.getList(1), "sequence " + b + " from 5 chunks vs its single row");
      assertEquals(single.get(b).getList(1), r.getList(2), "sequence " + b + ": probabilities");
    }
  }

  @Test
  void theRegressionHeadTrainsOnTargetsAndPredictsTheReadoutAtEveryStep() {
    Dataset<Row> rows = rows(LossSpec.REGRESSION);
    SpikingSequenceClassificationModel model = estimator(LossSpec.REGRESSION, 3).fit(rows);
    List<Double> losses = new ArrayList<>();
    model.history().forEach(m -> losses.add(m.loss()));
    assertTrue(losses.get(losses.size() - 1) < losses.get(0), "the squared error falls: " + losses);
    Dataset<Row> predicted = model.transform(rows);
    assertEquals(
        "array<array<float>>", predicted.schema().apply("prediction").dataType().simpleString());
    assertFalse(
        List.of(predicted.schema().fieldNames()).contains("probability"),
        "a regression has no class probabilities");
    Row first = predicted.first();
    List<Object> prediction = first.getList(first.fieldIndex("prediction"));
    assertEquals(task.steps, prediction.size());
    assertEquals(2, ((scala.collection.Seq<?>) prediction.get(0)).length());
    Evaluation e = model.evaluate(rows);
    assertEquals(losses.get(losses.size() - 1), e.loss(), 0.5 * e.loss(), "same order as training");
    assertEquals(0.0, e.accuracy());
  }

  @Test
  void badPerStepValuesFailNamingTheColumnTheRowAndTheStep() {
    ArrayType ints = DataTypes.createArrayType(DataTypes.IntegerType);
    StructType schema =
        new StructType()
            .add(
                "frames", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)))
            .add("labels", ints);
    List<Integer> shortLabels = new ArrayList<>();
    List<Integer> outOfRange = new ArrayList<>();
    for (int t = 0; t < task.steps; t++) {
      outOfRange.add(t == 17 ? 5 : -1);
      if (t < task.steps - 1) {
        shortLabels.add(0);
      }
    }
    SpikingSequenceClassifier c = estimator(LossSpec.PER_STEP, 1);
    Dataset<Row> tooShort =
        spark.createDataFrame(List.of(RowFactory.create(frames(0), shortLabels)), schema);
    String message =
        assertThrows(IllegalArgumentException.class, () -> c.fit(tooShort)).getMessage();
    assertTrue(
        message.contains(
            "training rows: a row: column 'labels' of its row: expected 30 values (one per step of"
                + " its frames), got 29"),
        message);
    Dataset<Row> badLabel =
        spark.createDataFrame(List.of(RowFactory.create(frames(0), outOfRange)), schema);
    message = assertThrows(IllegalArgumentException.class, () -> c.fit(badLabel)).getMessage();
    assertTrue(
        message.contains(
            "column 'labels', step 17: expected a label in [0, 2) or -1 (none), got 5"),
        message);

    StructType targetSchema =
        new StructType()
            .add(
                "frames", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)))
            .add(
                "targets",
                DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)));
    List<List<Float>> infinite = new ArrayList<>();
    List<List<Float>> narrow = new ArrayList<>();
    for (int t = 0; t < task.steps; t++) {
      infinite.add(List.of(0f, t == 4 ? Float.POSITIVE_INFINITY : 1f));
      narrow.add(t == 9 ? List.of(0f) : List.of(0f, 1f));
    }
    SpikingSequenceClassifier r = estimator(LossSpec.REGRESSION, 1);
    Dataset<Row> inf =
        spark.createDataFrame(List.of(RowFactory.create(frames(0), infinite)), targetSchema);
    message = assertThrows(IllegalArgumentException.class, () -> r.fit(inf)).getMessage();
    assertTrue(
        message.contains(
            "column 'targets', step 4, component 1: expected a finite target or NaN (none), got"
                + " Infinity"),
        message);
    Dataset<Row> thin =
        spark.createDataFrame(List.of(RowFactory.create(frames(0), narrow)), targetSchema);
    message = assertThrows(IllegalArgumentException.class, () -> r.fit(thin)).getMessage();
    assertTrue(
        message.contains(
            "column 'targets' of its row, step 9: expected a target vector of the model's 2"
                + " outputs, got 1 values"),
        message);

    Dataset<Row> withoutLabels = rows(LossSpec.PER_STEP).drop("labels");
    message = assertThrows(IllegalArgumentException.class, () -> c.fit(withoutLabels)).getMessage();
    assertTrue(message.startsWith("column 'labels': expected in the input"), message);
  }

  @Test
  void segmentParallelismTrainsThePerStepHeadAsTheJvmLoopDoes() {
    Dataset<Row> rows = rows(LossSpec.PER_STEP);
    TrainingConfig sgd =
        new TrainingConfig(1, 8, SgdConfig.plain(0.5), new LearningRatePolicy.Constant(), 0, 0);
    SpikingSequenceClassificationModel model =
        estimator(LossSpec.PER_STEP, 1)
            .setTrainingConfig(sgd)
            .setParallelism("segments:3")
            .fit(rows);
    assertEquals("segments:3", model.parallelismUsed());
    EngineParityTest.assertWithinTheBound(
        jvm(setup(LossSpec.PER_STEP), sgd, rows), model.parameters(), "per-step, segments:3");
  }
}
