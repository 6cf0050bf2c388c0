package dev.rewind.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.spark.CueTask;
import dev.rewind.spark.SmallTmpfs;
import dev.rewind.spark.SparkSessions;
import dev.rewind.spark.internal.train.OffChip;
import dev.rewind.spark.internal.train.OffChipStores;
import dev.rewind.trainer.optim.AdamConfig;
import dev.rewind.trainer.training.EpochResult;
import dev.rewind.trainer.training.StepMetrics;
import dev.rewind.trainer.training.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Estimator end to end in local[2]: accuracy, persistence, Pipeline, resume, metrics. */
@Timeout(180)
class SpikingSequenceClassifierTest {
  private static final long SEED = 77;
  private static SparkSession spark;
  private static CueTask task;
  private static Dataset<Row> rows;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local("local[2]");
    System.out.println("cue task seed " + SEED);
    task = new CueTask(SEED, 48, 30, 8);
    rows = task.denseRows(spark).cache();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static SpikingSequenceClassifier classifier() {
    return new SpikingSequenceClassifier()
        .setNumChannels(8)
        .setNumClasses(2)
        .setLayers(24)
        .setEpochs(6)
        .setBatchSize(8)
        .setLearningRate(0.03)
        .setSeed(SEED)
        .setNumTasks(2)
        // per-sequence tasks and no clipping: the arithmetic SingleJvmTrainer reproduces
        .setTaskBatchSize(1)
        .setGradientClipNorm(0);
  }

  /** Runs {@code body}, adding the description of every Spark job it starts to {@code into}. */
  private static <T> T withJobDescriptions(List<String> into, Callable<T> body) throws Exception {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    SparkListener listener =
        new SparkListener() {
          @Override
          public void onJobStart(SparkListenerJobStart start) {
            seen.add(String.valueOf(start.properties().getProperty("spark.job.description")));
          }
        };
    spark.sparkContext().addSparkListener(listener);
    try {
      T result = body.call();
      spark.sparkContext().listenerBus().waitUntilEmpty();
      return result;
    } finally {
      spark.sparkContext().removeSparkListener(listener);
      into.addAll(seen);
    }
  }

  @Test
  void reachesTheSingleJvmAccuracyAndSaveLoadTransformAgree(@TempDir Path dir) throws Exception {
    SpikingSequenceClassifier classifier = classifier();
    Path metrics = dir.resolve("metrics.jsonl");
    classifier.setMetricsPath(metrics.toUri().toString());
    SpikingSequenceClassificationModel model = classifier.fit(rows);

    SingleJvmTrainer singleJvm =
        new SingleJvmTrainer(task, classifier.modelConfig(), SEED, 8, task.denseRowIds(spark));
    // The Estimator's arithmetic (per-sequence gradients summed in double) gives the same bits.
    assertArrayEquals(
        singleJvm.train(6, AdamConfig.defaults(0.03), SingleJvmTrainer.Gradients.PER_SEQUENCE),
        model.parameters(),
        "Estimator vs single JVM with per-sequence gradients after 36 Adam steps");
    float[] reference =
        singleJvm.train(6, AdamConfig.defaults(0.03), SingleJvmTrainer.Gradients.BATCHED);
    CueTask heldOut = new CueTask(SEED + 1, 64, 30, 8);
    double single = SingleJvmTrainer.accuracy(heldOut, classifier.modelConfig(), reference);
    double distributed =
        SingleJvmTrainer.accuracy(heldOut, model.modelConfig(), model.parameters());
    System.out.println("held-out accuracy: single-JVM " + single + ", distributed " + distributed);
    assertTrue(single >= 0.9, "the single-JVM trainer learns the task, got " + single);
    assertTrue(
        distributed >= single - 0.05,
        "distributed accuracy " + distributed + " vs single-JVM " + single);

    Dataset<Row> heldOutRows = heldOut.denseRows(spark);
    Dataset<Row> predicted = model.transform(heldOutRows);
    assertEquals(
        distributed,
        predicted.filter("prediction = cast(label as double)").count() / (double) heldOut.sequences,
        1e-12);

    String path = dir.resolve("model").toString();
    model.save(path);
    assertThrows(java.io.IOException.class, () -> model.save(path));
    SpikingSequenceClassificationModel loaded = SpikingSequenceClassificationModel.load(path);
    assertArrayEquals(model.parameters(), loaded.parameters());
    assertSameParams(model, loaded);
    assertEquals(
        predicted.select("prediction", "probability").collectAsList(),
        loaded.transform(heldOutRows).select("prediction", "probability").collectAsList());

    List<String> lines = Files.readAllLines(metrics);
    assertEquals(model.history().size(), lines.size());
    assertEquals(6 * 6, lines.size());
    JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertEquals(36, last.get("globalStep").asLong());
    assertTrue(last.has("offChipBytesWritten") && last.has("recomputationRatio"));
    assertEquals(36, model.summary().count());
  }

  @Test
  void worksInsideAPipelineAndThroughPipelinePersistence(@TempDir Path dir) throws Exception {
    SpikingSequenceClassifier classifier = classifier().setEpochs(1);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {classifier});
    String pipelinePath = dir.resolve("pipeline").toString();
    pipeline.save(pipelinePath);
    Pipeline reloaded = Pipeline.load(pipelinePath);
    SpikingSequenceClassifier stage = (SpikingSequenceClassifier) reloaded.getStages()[0];
    assertSameParams(classifier, stage);

    List<String> descriptions = new ArrayList<>();
    PipelineModel fitted = withJobDescriptions(descriptions, () -> reloaded.fit(rows));
    // Every step of the epoch in one job (stepsPerJob 0).
    String expected = "epoch 1/1, steps 1-6/6 (global 1-6)";
    assertTrue(
        descriptions.stream().anyMatch(d -> d.endsWith(expected)),
        "a job described '" + expected + "' in " + descriptions);
    String modelPath = dir.resolve("pipeline-model").toString();
    fitted.save(modelPath);
    PipelineModel loaded = PipelineModel.load(modelPath);
    assertEquals(
        fitted.transform(rows).select("probability").collectAsList(),
        loaded.transform(rows).select("probability").collectAsList());
  }

  @Test
  void trainsFromParquetWithKryoRegistrationRequired(@TempDir Path dir) {
    String dense = dir.resolve("dense").toString();
    String events = dir.resolve("events").toString();
    rows.write().parquet(dense);
    task.eventRows(spark).write().parquet(events);
    Dataset<Row> fromDense = spark.read().parquet(dense);
    Dataset<Row> fromEvents = spark.read().parquet(events);
    SpikingSequenceClassificationModel model = classifier().setEpochs(1).fit(fromDense);
    assertEquals(rows.count(), model.transform(fromDense).count());
    classifier().setEpochs(1).setInputFormat("events").fit(fromEvents);
  }

  @Test
  void validationScoreOfEachEpochIsWhatEvaluateGivesForThatEpochsModel() {
    CueTask heldOut = new CueTask(SEED + 3, 20, 30, 8);
    Dataset<Row> dense = heldOut.denseRows(spark);
    SpikingSequenceClassificationModel oneEpoch =
        classifier().setEpochs(1).setValidationSet(dense).fit(rows);
    SpikingSequenceClassificationModel twoEpochs =
        classifier().setEpochs(2).setValidationSet(dense).fit(rows);
    List<SpikingSequenceClassificationModel> models = List.of(oneEpoch, twoEpochs);
    for (int e = 0; e < 2; e++) {
      // The scorer batches forward passes; evaluate runs one sequence at a time.
      EpochResult scored = twoEpochs.epochResults().get(e);
      Evaluation evaluated = models.get(e).evaluate(dense);
      assertEquals(evaluated.accuracy(), scored.testAccuracy(), 1e-12, "epoch " + (e + 1));
      assertEquals(evaluated.loss(), scored.testLoss(), 1e-6, "epoch " + (e + 1));
    }
    SpikingSequenceClassificationModel chunked =
        classifier()
            .setEpochs(1)
            .setSequenceIdCol("seq_id")
            .setValidationSet(heldOut.chunkedRows(spark, 7, 9))
            .fit(task.chunkedRows(spark, 7, 5));
    EpochResult scored = chunked.epochResults().get(0);
    Evaluation evaluated = chunked.evaluate(heldOut.chunkedRows(spark, 4, 2));
    assertEquals(evaluated.accuracy(), scored.testAccuracy(), 1e-12, "chunked");
    assertEquals(evaluated.loss(), scored.testLoss(), 1e-6, "chunked");
  }

  @Test
  void badRowsFailBeforeTrainingNamingTheRowAndFile(@TempDir Path dir) {
    String[][] cases = {
      {"label", "label + 5", "column 'label': expected a label in [0, 2), got 5"},
      {
        "frames",
        "transform(frames, f -> transform(f, v -> cast('NaN' as float)))",
        "column 'frames', step 0, channel 0: expected a finite value, got NaN"
      },
      {
        "frames",
        "transform(frames, f -> slice(f, 1, 3))",
        "column 'frames': expected 8 channels per frame, got 3"
      }
    };
    for (String[] c : cases) {
      String path = dir.resolve("bad-" + c[2].hashCode()).toString();
      rows.withColumn(c[0], org.apache.spark.sql.functions.expr(c[1])).write().parquet(path);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> classifier().setEpochs(1).fit(spark.read().parquet(path)));
      assertTrue(
          e.getMessage().startsWith("training rows: a row of file://" + path + "/part-"),
          e.getMessage());
      assertTrue(e.getMessage().contains(c[2]), e.getMessage());
      assertTrue(e.getMessage().endsWith("(the first 3 bad rows)"), e.getMessage());
    }
    Dataset<Row> chunked =
        task.chunkedRows(spark, 7, 5)
            .withColumn(
                "label",
                org.apache.spark.sql.functions.expr("if(seq_id = 3 and chunk_idx = 2, 9, label)"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> classifier().setEpochs(1).setSequenceIdCol("seq_id").fit(chunked));
    assertEquals(
        "training rows: seq_id 3, chunk_idx 2: column 'label': expected a label in [0, 2), got 9",
        e.getMessage());
  }

  @Test
  void anOffChipLocationThatTakesNoFileFailsBeforeAnyJob(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    String location = file.resolve("offchip").toUri().toString();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> classifier().setEpochs(1).setOffChipLocation(location).fit(rows));
    assertTrue(
        e.getMessage()
            .startsWith(
                "offChipLocation: expected a location this job can write, got '"
                    + location
                    + "': "),
        e.getMessage());
    // A writable location that did not exist is checked and left as it was.
    Path absent = dir.resolve("absent");
    OffChipStores.requireWritable(
        new OffChip(absent.toUri().toString(), "packs"),
        new org.apache.hadoop.conf.Configuration());
    assertFalse(Files.exists(absent));
  }

  @Test
  void aFitWhoseOffChipVolumeFillsUpFailsNamingItAndLeavesTheVolumeEmpty(@TempDir Path dir)
      throws Exception {
    try (SmallTmpfs volume = SmallTmpfs.mount(dir.resolve("small"), "64k")) {
      Path location = volume.root().resolve("offchip");
      Exception e =
          assertThrows(
              Exception.class,
              () ->
                  classifier()
                      .setEpochs(1)
                      .setLayers(128)
                      .setSchedule("remote:k=1")
                      .setOffChipLocation(location.toUri().toString())
                      .fit(rows));
      String messages = messageChain(e);
      assertTrue(messages.contains("No space left on device"), messages);
      assertTrue(messages.contains(location.toString()), messages);
      // A task the failure cancels finishes its step before it closes its store. The location
      // the user named stays, empty.
      long deadline = System.nanoTime() + 30_000_000_000L;
      List<Path> left = filesUnder(location);
      while (!left.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(100);
        left = filesUnder(location);
      }
      assertEquals(List.of(), left);
      assertEquals(List.of(location), filesUnder(volume.root()));
    }
  }

  private static String messageChain(Throwable e) {
    StringBuilder messages = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.append(t).append('\n');
    }
    return messages.toString();
  }

  private static List<Path> filesUnder(Path root) throws java.io.IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
      return paths.filter(p -> !p.equals(root)).toList();
    }
  }

  @Test
  void aBudgetNoPlanFitsFailsBeforeAnyTrainingStep() throws Exception {
    List<String> descriptions = new ArrayList<>();
    IllegalArgumentException e =
        withJobDescriptions(
            descriptions,
            () ->
                assertThrows(
                    IllegalArgumentException.class,
                    () ->
                        classifier()
                            .setEpochs(1)
                            .setSchedule("store-all")
                            .setMemoryBudget("4k")
                            .fit(rows)));
    assertTrue(
        e.getMessage()
            .matches(
                "memoryBudget: expected room for store-all on the longest training sequence"
                    + " \\(id \\d+, 30 steps\\) computed alone, got 4096: store-all needs \\d+"
                    + " bytes.*"),
        e.getMessage());
    assertTrue(descriptions.stream().noneMatch(d -> d.contains("step")), descriptions.toString());
  }

  @Test
  void identicalRowsWithoutASequenceIdFailNamingTheFix() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> classifier().setEpochs(1).fit(rows.union(rows.limit(1))));
    assertTrue(e.getMessage().startsWith("training rows: 2 rows have the same frames and label"));
    assertTrue(e.getMessage().contains("setSequenceIdCol"), e.getMessage());
  }

  @Test
  void transformOfChunkedRowsGivesOneRowPerSequence() {
    SpikingSequenceClassificationModel model =
        classifier().setEpochs(1).setSequenceIdCol("seq_id").fit(task.chunkedRows(spark, 7, 5));
    CueTask heldOut = new CueTask(SEED + 2, 12, 30, 8);
    Dataset<Row> predicted = model.transform(heldOut.chunkedRows(spark, 4, 6));
    assertEquals(List.of("seq_id", "prediction", "probability"), List.of(predicted.columns()));
    List<Row> bySequence = predicted.orderBy("seq_id").collectAsList();
    assertEquals(heldOut.sequences, bySequence.size(), "one row per sequence");
    List<Row> whole =
        model
            .copy(ParamMap.empty())
            .setSequenceIdCol("")
            .transform(heldOut.denseRows(spark))
            .select("prediction", "probability")
            .collectAsList();
    for (int b = 0; b < heldOut.sequences; b++) {
      Row r = bySequence.get(b);
      assertEquals(b, r.getLong(0));
      assertEquals(whole.get(b), RowFactory.create(r.get(1), r.get(2)), "sequence " + b);
    }
  }

  @Test
  void resumedFitEndsBitIdenticalToAnUninterruptedOne(@TempDir Path dir) {
    SpikingSequenceClassifier plain = classifier().setEpochs(2);
    SpikingSequenceClassificationModel whole = plain.fit(rows);
    float[] uninterrupted = whole.parameters();

    String state = dir.resolve("state").toUri().toString();
    SpikingSequenceClassifier stopping =
        classifier()
            .setEpochs(2)
            .setCheckpointPath(state)
            .setCheckpointInterval(2)
            .setListener(
                new TrainingListener() {
                  @Override
                  public void onStep(StepMetrics m) {
                    if (m.globalStep() == 4) {
                      throw new IllegalStateException("stopped after step 4");
                    }
                  }
                });
    assertThrows(IllegalStateException.class, () -> stopping.fit(rows));

    List<StepMetrics> resumedSteps = new java.util.ArrayList<>();
    SpikingSequenceClassifier resuming =
        classifier()
            .setEpochs(2)
            .setCheckpointPath(state)
            .setCheckpointInterval(2)
            .setListener(
                new TrainingListener() {
                  @Override
                  public void onStep(StepMetrics m) {
                    resumedSteps.add(m);
                  }
                });
    SpikingSequenceClassificationModel model = resuming.fit(rows);
    float[] resumed = model.parameters();
    assertEquals(5, resumedSteps.get(0).globalStep(), "resumes after the state saved at step 4");
    assertArrayEquals(uninterrupted, resumed);
    // The whole history, the steps before the resume included; timings differ, the rest not.
    assertEquals(whole.history().size(), model.history().size());
    for (int i = 0; i < whole.history().size(); i++) {
      StepMetrics a = whole.history().get(i);
      StepMetrics b = model.history().get(i);
      assertEquals(a.globalStep(), b.globalStep());
      assertEquals(a.loss(), b.loss(), "loss of step " + a.globalStep());
      assertEquals(a.gradientNorm(), b.gradientNorm(), "norm of step " + a.globalStep());
    }
    assertEquals(2, model.epochResults().size());
    for (int e = 0; e < 2; e++) {
      assertEquals(
          whole.epochResults().get(e).trainLoss(), model.epochResults().get(e).trainLoss());
    }
  }

  @Test
  void classifierParamsSurviveSaveAndLoad(@TempDir Path dir) throws Exception {
    SpikingSequenceClassifier c =
        classifier()
            .setSchedule("double:K=64,k=8")
            .setMemoryBudget("64m")
            .setOffChipLocation("hdfs://namenode:8020/rewind")
            .setOptimizer("sgd")
            .setSurrogate("triangle")
            .setRecurrence("feedforward")
            .setSequenceIdCol("seq")
            .setInputFormat("events")
            .setTrainTau("false,true");
    String path = dir.resolve("estimator").toString();
    c.save(path);
    assertSameParams(c, SpikingSequenceClassifier.load(path));
    // Saved before trainTau took one value per layer, it was a JSON boolean.
    assertEquals("true", c.trainTau().jsonDecode("true"));
    assertEquals("false,true", c.trainTau().jsonDecode(c.trainTau().jsonEncode("false,true")));
  }

  @Test
  void taskBatchSizeIsValidatedReachesTheTasksAndSurvivesSaveAndLoad(@TempDir Path dir)
      throws Exception {
    assertEquals(
        0,
        new SpikingSequenceClassifier().getTaskBatchSize(),
        "default: as many as the budget allows");
    SpikingSequenceClassifier c = classifier();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> c.setTaskBatchSize(-1));
    assertTrue(e.getMessage().contains("taskBatchSize"), e.getMessage());
    c.setTaskBatchSize(4);
    assertEquals(4, c.trainingOptions(spark.sparkContext()).taskBatchSize());
    String path = dir.resolve("estimator").toString();
    c.save(path);
    SpikingSequenceClassifier loaded = SpikingSequenceClassifier.load(path);
    assertEquals(4, (Integer) loaded.getOrDefault(loaded.taskBatchSize()));
  }

  @Test
  void invalidParamValuesAreRejected() {
    SpikingSequenceClassifier c = new SpikingSequenceClassifier();
    assertThrows(IllegalArgumentException.class, () -> c.setBatchSize(0));
    assertThrows(IllegalArgumentException.class, () -> c.setOptimizer("lbfgs"));
    assertThrows(IllegalArgumentException.class, () -> c.setMemoryBudget("lots"));
    assertThrows(IllegalArgumentException.class, () -> c.setSchedule("periodic"));
    assertThrows(IllegalArgumentException.class, () -> c.setLayers());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.fit(rows));
    assertEquals("numChannels: expected to be set, got no value", e.getMessage());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void assertSameParams(
      org.apache.spark.ml.param.Params a, org.apache.spark.ml.param.Params b) {
    assertEquals(a.params().length, b.params().length);
    for (Param p : a.params()) {
      Param q = b.getParam(p.name());
      assertEquals(a.isDefined(p), b.isDefined(q), p.name());
      if (a.isDefined(p)) {
        assertEquals(p.jsonEncode(a.getOrDefault(p)), q.jsonEncode(b.getOrDefault(q)), p.name());
      }
    }
  }
}
