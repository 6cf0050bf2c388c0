package dev.rewind.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.spark.CueTask;
import dev.rewind.spark.SparkSessions;
import dev.rewind.spark.internal.train.GradientSum;
import dev.rewind.spark.internal.train.SequenceResult;
import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.LossResult;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.data.DenseFrames;
import dev.rewind.trainer.data.FrameSource;
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
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One configuration, two engines: the same {@link ModelSetup} and {@link TrainingConfig} given to
 * the JVM {@link TrainingLoop} and to the Estimator train the same parameters (bit for bit with
 * per-sequence tasks; within a stated float bound with the batched default), every model and
 * training setting round-trips through the Params and Estimator save/load, and a bad value fails
 * naming its Param with the parser's reason.
 */
@Timeout(300)
class EngineParityTest {
  private static final long SEED = 11;

  /**
   * Largest parameter difference allowed after the steps below, relative to the largest parameter:
   * the batched and per-sequence sums of the same float gradients differ by rounding (relative
   * gradient error about 1e-7 per step, measured in DistributedGradientTest), and Adam's normalised
   * updates keep it at that order per step over a few steps.
   */
  private static final double BATCHED_BOUND = 1e-6;

  /** Which sequences each mini-batch built here holds. */
  private static final java.util.Map<FrameSource, List<Integer>> MEMBERS =
      new java.util.IdentityHashMap<>();

  private static SparkSession spark;
  private static CueTask task;
  private static Dataset<Row> rows;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local("local[2]");
    task = new CueTask(SEED, 32, 30, 8);
    rows = task.denseRows(spark).cache();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static ModelSetup setup() {
    return setup(false);
  }

  /** With {@code adaptive}, the first layer is ALIF (MODEL_SPEC v2). */
  private static ModelSetup setup(boolean adaptive) {
    ModelConfig network =
        new ModelConfig(
            8,
            List.of(
                adaptive
                    ? LayerConfig.adaptive(20, true, LayerConfig.betaOf(30), 1.2, 25)
                    : new LayerConfig(20, true, LayerConfig.betaOf(30)),
                new LayerConfig(12, false, LayerConfig.betaOf(10))),
            2,
            new Surrogate.FastSigmoid(8),
            0.9,
            LayerConfig.betaOf(15));
    return new ModelSetup(network, new InitScheme(50, 2, 1.5), SEED);
  }

  private static TrainingConfig training() {
    return new TrainingConfig(
        1, 8, AdamConfig.defaults(0.02), new LearningRatePolicy.Cosine(2, 0.1), 0.5, 0);
  }

  /** The JVM loop over epoch 0's mini-batches as the Estimator's epoch plan draws them. */
  private static float[] jvm(ModelSetup setup, TrainingConfig t, GradientFunction gradients) {
    long[] ids = task.denseRowIds(spark);
    List<FrameSource> batches = new ArrayList<>();
    for (List<Integer> members :
        SingleJvmTrainer.miniBatches(ids, task.steps, setup.seed(), 0, t.batchSize(), 2)) {
      DenseFrames batch = frames(members);
      MEMBERS.put(batch, members);
      batches.add(batch);
    }
    Parameters p = setup.initialParameters();
    new TrainingLoop(t, gradients).train(p, batches, List.of(), TrainingListener.NONE);
    return p.data();
  }

  private static DenseFrames frames(List<Integer> members) {
    int frame = task.steps * task.channels;
    float[] values = new float[members.size() * frame];
    int[] labels = new int[members.size()];
    for (int k = 0; k < members.size(); k++) {
      System.arraycopy(task.frames(members.get(k)), 0, values, k * frame, frame);
      labels[k] = task.label(members.get(k));
    }
    return new DenseFrames(values, members.size(), task.steps, task.channels, labels);
  }

  /** The per-sequence arithmetic of per-sequence tasks: sequence gradients summed in double. */
  private static GradientFunction perSequence(ModelConfig config) {
    StoreAllBptt one = new StoreAllBptt(config, 1);
    return new GradientFunction() {
      @Override
      public BpttResult gradient(Parameters parameters, FrameSource batch) {
        GradientSum sum = new GradientSum(parameters.data().length);
        BpttResult last = null;
        for (int b : MEMBERS.get(batch)) {
          last = one.run(parameters, frames(List.of(b)));
          sum.add(new SequenceResult(0, 0, 1, last.gradient(), 0, 0, 0, 0), 1);
        }
        return new BpttResult(last.result(), sum.meanGradient());
      }

      @Override
      public LossResult evaluate(Parameters parameters, FrameSource batch) {
        throw new UnsupportedOperationException();
      }
    };
  }

  private static SpikingSequenceClassifier estimator(int taskBatch) {
    return estimator(taskBatch, setup());
  }

  private static SpikingSequenceClassifier estimator(int taskBatch, ModelSetup setup) {
    return new SpikingSequenceClassifier()
        .setModelSetup(setup)
        .setTrainingConfig(training())
        .setSchedule("store-all")
        .setNumTasks(2)
        .setTaskBatchSize(taskBatch);
  }

  @Test
  void perSequenceTasksTrainTheJvmLoopsParametersBitForBit() {
    float[] spark = estimator(1).fit(rows).parameters();
    float[] jvm = jvm(setup(), training(), perSequence(setup().network()));
    assertArrayEquals(jvm, spark, "Estimator (taskBatchSize 1) vs JVM loop, 4 Adam steps");
  }

  @Test
  void withAnAlifLayerPerSequenceTasksTrainTheJvmLoopsParametersBitForBit() {
    ModelSetup alif = setup(true);
    float[] spark = estimator(1, alif).fit(rows).parameters();
    float[] jvm = jvm(alif, training(), perSequence(alif.network()));
    assertArrayEquals(jvm, spark, "ALIF: Estimator (taskBatchSize 1) vs JVM loop");
    assertFalse(
        java.util.Arrays.equals(jvm, estimator(1).fit(rows).parameters()),
        "the ALIF layer changes what is trained");
  }

  @Test
  void withTheLastStepsHeadPerSequenceTasksTrainTheJvmLoopsParametersBitForBit() {
    ModelSetup base = setup(true);
    ModelSetup last =
        new ModelSetup(base.network().withLoss(new LossSpec(7)), base.init(), base.seed());
    float[] spark = estimator(1, last).fit(rows).parameters();
    float[] jvm = jvm(last, training(), perSequence(last.network()));
    assertArrayEquals(jvm, spark, "last:7: Estimator (taskBatchSize 1) vs JVM loop");
    assertFalse(
        java.util.Arrays.equals(jvm, estimator(1, base).fit(rows).parameters()),
        "the loss head changes what is trained");
  }

  @Test
  void withTrainableTimeConstantsPerSequenceTasksTrainTheJvmLoopsParametersBitForBit() {
    ModelSetup base = setup(true);
    ModelSetup trainable =
        new ModelSetup(base.network().withTrainTau(true), base.init(), base.seed());
    TrainingConfig slowLeaks = training().withTimeConstantRate(0.01);
    SpikingSequenceClassifier estimator = estimator(1, trainable).setTrainingConfig(slowLeaks);
    assertEquals("true", estimator.getTrainTau(), "setModelSetup maps the trainable leaks");
    assertEquals(0.01, estimator.getTimeConstantRate());
    float[] spark = estimator.fit(rows).parameters();
    float[] jvm = jvm(trainable, slowLeaks, perSequence(trainable.network()));
    assertArrayEquals(jvm, spark, "trainTau: Estimator (taskBatchSize 1) vs JVM loop");
    assertEquals(
        base.initialParameters().data().length + 2 * 20 + 12 + 2,
        spark.length,
        "q per neuron, p per ALIF neuron, qo per class");
  }

  @Test
  void withTimeConstantsTrainableInOneLayerTheEstimatorTrainsTheJvmLoopsParametersBitForBit() {
    ModelConfig n = setup(true).network();
    ModelConfig secondOnly =
        new ModelConfig(
            n.inputSize(),
            List.of(n.layers().get(0), n.layers().get(1).withTrainTau(true)),
            n.classes(),
            n.surrogate(),
            n.theta(),
            n.betaOut());
    ModelSetup trainable = new ModelSetup(secondOnly, setup(true).init(), SEED);
    TrainingConfig slowLeaks = training().withTimeConstantRate(0.01);
    SpikingSequenceClassifier estimator = estimator(1, trainable).setTrainingConfig(slowLeaks);
    assertEquals("false,true", estimator.getTrainTau(), "setModelSetup maps each layer's leaks");
    float[] spark = estimator.fit(rows).parameters();
    float[] jvm = jvm(trainable, slowLeaks, perSequence(secondOnly));
    assertArrayEquals(jvm, spark, "trainTau false,true: Estimator (taskBatchSize 1) vs JVM loop");
    assertEquals(
        setup(true).initialParameters().data().length + 12, spark.length, "q per layer-2 neuron");
    float[] viaParam =
        estimator(1, setup(true))
            .setTrainTau("false,true")
            .setTrainingConfig(slowLeaks)
            .fit(rows)
            .parameters();
    assertArrayEquals(jvm, viaParam, "trainTau false,true set as the Param");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> estimator(1).setTrainTau("true,maybe"));
    assertTrue(
        e.getMessage().contains("trainTau: expected true or false for each layer, got 'maybe'"),
        e.getMessage());
  }

  @Test
  void aLossWindowLongerThanASequenceFailsNamingItBeforeAnyStep() {
    SpikingSequenceClassifier longer = estimator(1).setLoss("last:31");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> longer.fit(rows));
    assertTrue(
        e.getMessage()
            .matches(
                "training rows, sequence \\d+: expected at least the 31 steps of"
                    + " loss last:31, got 30"),
        e.getMessage());
  }

  @Test
  void batchedTasksTrainTheJvmLoopsBatchedParametersWithinTheBound() {
    float[] spark = estimator(0).fit(rows).parameters();
    float[] jvm = jvm(setup(), training(), GradientFunction.storeAll(setup().network(), 8, 0));
    assertWithinTheBound(jvm, spark, "batched tasks vs JVM batched");
  }

  /**
   * Fails unless {@code spark} is within {@link #BATCHED_BOUND} of {@code jvm}, relative to its
   * largest parameter; prints the difference under {@code what}.
   */
  static void assertWithinTheBound(float[] jvm, float[] spark, String what) {
    double max = 0;
    double diff = 0;
    for (int i = 0; i < jvm.length; i++) {
      max = Math.max(max, Math.abs(jvm[i]));
      diff = Math.max(diff, Math.abs(jvm[i] - spark[i]));
    }
    System.out.printf("%s: max |diff| %.3g of max |param| %.3g%n", what, diff, max);
    assertTrue(diff <= BATCHED_BOUND * max, what + ": max |diff| " + diff + " of " + max);
  }

  @Test
  void everyModelAndTrainingSettingRoundTripsThroughParamsAndSaveLoad(@TempDir Path dir)
      throws Exception {
    ModelSetup setup =
        new ModelSetup(
            new ModelConfig(
                    5,
                    List.of(
                        new LayerConfig(7, false, LayerConfig.betaOf(123)),
                        LayerConfig.adaptive(4, true, LayerConfig.betaOf(9), 0.7, 35.5),
                        new LayerConfig(3, true, LayerConfig.betaOf(4.5))),
                    3,
                    new Surrogate.Triangle(0.25),
                    1.25,
                    LayerConfig.betaOf(40),
                    new LossSpec(6))
                .withTrainTau(true),
            new InitScheme(33, 0.5, 2),
            -7);
    TrainingConfig sgd =
        new TrainingConfig(
            4,
            12,
            new SgdConfig(0.05, 0.8, true, 1e-3),
            new LearningRatePolicy.Cosine(9, 0.2),
            3.5,
            17,
            0.05);
    TrainingConfig adam =
        new TrainingConfig(
            2,
            3,
            new AdamConfig(0.004, 0.8, 0.95, 1e-6, 2e-4),
            new LearningRatePolicy.Constant(),
            0,
            0);
    for (TrainingConfig t : List.of(sgd, adam)) {
      SpikingSequenceClassifier c =
          new SpikingSequenceClassifier().setModelSetup(setup).setTrainingConfig(t);
      assertEquals(setup, c.modelSetup());
      assertEquals(t, c.trainingConfig());
      String path = dir.resolve("estimator-" + t.batchSize()).toString();
      c.save(path);
      SpikingSequenceClassifier loaded = SpikingSequenceClassifier.load(path);
      assertEquals(setup, loaded.modelSetup());
      assertEquals(t, loaded.trainingConfig());
      float[] weights = setup.initialParameters().data();
      SpikingSequenceClassificationModel model =
          SpikingSequenceClassificationModel.of(setup, t, weights);
      String modelPath = dir.resolve("model-" + t.batchSize()).toString();
      model.save(modelPath);
      SpikingSequenceClassificationModel back = SpikingSequenceClassificationModel.load(modelPath);
      assertEquals(setup, back.modelSetup());
      assertEquals(t, back.trainingConfig());
      assertArrayEquals(weights, back.parameters());
    }
  }

  @Test
  void anInvalidValueFailsNamingTheParamAndKeepingTheParsersReason() {
    SpikingSequenceClassifier c = new SpikingSequenceClassifier();
    var schedule = assertThrows(IllegalArgumentException.class, () -> c.setSchedule("periodic"));
    assertTrue(
        schedule.getMessage().startsWith("schedule: schedule periodic needs parameter k"),
        schedule.getMessage());
    var budget = assertThrows(IllegalArgumentException.class, () -> c.setMemoryBudget("12x"));
    assertTrue(
        budget.getMessage().startsWith("memoryBudget: expected a memory budget unit"),
        budget.getMessage());
    var loss = assertThrows(IllegalArgumentException.class, () -> c.setLoss("last:0"));
    assertTrue(loss.getMessage().startsWith("loss: "), loss.getMessage());
    assertTrue(loss.getMessage().contains("'last:0'"), loss.getMessage());
    var neuron = assertThrows(IllegalArgumentException.class, () -> c.setNeuron("lif,spiky"));
    assertTrue(neuron.getMessage().startsWith("neuron"), neuron.getMessage());
    var recurrence =
        assertThrows(IllegalArgumentException.class, () -> c.setRecurrence("true,maybe"));
    assertTrue(recurrence.getMessage().startsWith("recurrence: "), recurrence.getMessage());
    c.setLayers(4, 4, 4).setTau(10, 20).setNumChannels(3).setNumClasses(2);
    var tau = assertThrows(IllegalArgumentException.class, c::modelSetup);
    assertTrue(tau.getMessage().startsWith("tau: expected one value or one per layer"));
    var batch = assertThrows(IllegalArgumentException.class, () -> c.setBatchSize(0));
    assertTrue(batch.getMessage().contains("batchSize"), batch.getMessage());
  }
}
