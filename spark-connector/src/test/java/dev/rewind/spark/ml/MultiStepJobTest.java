package dev.rewind.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.spark.CueTask;
import dev.rewind.spark.SparkSessions;
import dev.rewind.spark.internal.train.FailOnceFileSystem;
import dev.rewind.trainer.training.EpochResult;
import dev.rewind.trainer.training.StepMetrics;
import dev.rewind.trainer.training.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several optimizer steps per Spark job ({@code stepsPerJob}): the tasks trade gradient sums and
 * parameters with the driver over Spark's RPC, and the fit is the one of a job per step bit for
 * bit, in as many jobs as asked, the job that ends an epoch scoring the validation set as a job of
 * its own would; a task that fails mid-job joins again at the driver's step; a cluster that cannot
 * run every slot at once gets a job per step instead of a wait.
 */
@Timeout(300)
class MultiStepJobTest {
  private static final long SEED = 19;
  private static SparkSession spark;
  private static Dataset<Row> rows;
  private static Dataset<Row> heldOut;

  @BeforeAll
  static void start() {
    spark = FailOnceFileSystem.registeredIn(SparkSessions.builder("local[2,2]")).getOrCreate();
    // 32 sequences in batches of 8: 4 steps per epoch.
    rows = new CueTask(SEED, 32, 30, 8).denseRows(spark).cache();
    heldOut = new CueTask(SEED + 3, 20, 30, 8).denseRows(spark).cache();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static SpikingSequenceClassifier classifier(int stepsPerJob) {
    return new SpikingSequenceClassifier()
        .setNumChannels(8)
        .setNumClasses(2)
        .setLayers(16)
        .setEpochs(2)
        .setBatchSize(8)
        .setLearningRate(0.03)
        .setSeed(SEED)
        .setNumTasks(2)
        .setStepsPerJob(stepsPerJob);
  }

  /**
   * A fit, the number of Spark jobs that ran its steps, of those that also scored the validation
   * set, of jobs that only scored it, and of failed task attempts.
   */
  private record Fit(
      SpikingSequenceClassificationModel model,
      int stepJobs,
      int scoringStepJobs,
      int validationJobs,
      int failedTasks) {}

  private static Fit fit(SpikingSequenceClassifier classifier) throws Exception {
    AtomicInteger stepJobs = new AtomicInteger();
    AtomicInteger scoringStepJobs = new AtomicInteger();
    AtomicInteger validationJobs = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    SparkListener listener =
        new SparkListener() {
          @Override
          public void onJobStart(SparkListenerJobStart start) {
            String description = start.properties().getProperty("spark.job.description", "");
            if (description.matches(".*, steps? [0-9-]+/.*")) {
              stepJobs.incrementAndGet();
              if (description.endsWith(", validation")) {
                scoringStepJobs.incrementAndGet();
              }
            } else if (description.matches(".*: epoch [0-9]+/[0-9]+, validation")) {
              validationJobs.incrementAndGet();
            }
          }

          @Override
          public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.reason() != Success$.MODULE$) {
              failed.incrementAndGet();
            }
          }
        };
    spark.sparkContext().addSparkListener(listener);
    try {
      SpikingSequenceClassificationModel model = classifier.fit(rows);
      spark.sparkContext().listenerBus().waitUntilEmpty();
      return new Fit(
          model, stepJobs.get(), scoringStepJobs.get(), validationJobs.get(), failed.get());
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
  }

  /**
   * The same parameters bit for bit, and the same step losses and gradient norms: bit for bit with
   * two slots, whose two task sums add in either order to the same double; with more, a job per
   * step adds its tasks' loss sums in the order {@code treeAggregate} meets them, so the reported
   * loss may differ in its last bits.
   */
  private static void assertSameFit(Fit expected, Fit actual, String what, double lossTolerance) {
    assertArrayEquals(expected.model().parameters(), actual.model().parameters(), what);
    List<StepMetrics> a = expected.model().history();
    List<StepMetrics> b = actual.model().history();
    assertEquals(a.size(), b.size(), what + ": steps");
    for (int i = 0; i < a.size(); i++) {
      assertEquals(
          a.get(i).loss(), b.get(i).loss(), lossTolerance, what + ": loss of step " + (i + 1));
      assertEquals(
          a.get(i).gradientNorm(), b.get(i).gradientNorm(), what + ": norm of step " + (i + 1));
    }
    List<EpochResult> x = expected.model().epochResults();
    List<EpochResult> y = actual.model().epochResults();
    assertEquals(x.size(), y.size(), what + ": epochs");
    for (int e = 0; e < x.size(); e++) {
      // Slot scores are merged in slot order by both paths: the same doubles.
      assertEquals(x.get(e).testLoss(), y.get(e).testLoss(), what + ": test loss, epoch " + e);
      assertEquals(
          x.get(e).testAccuracy(), y.get(e).testAccuracy(), what + ": test accuracy, epoch " + e);
    }
  }

  @Test
  void everyNumberOfStepsPerJobTrainsTheBitsOfAJobPerStep() throws Exception {
    Fit perStep = fit(classifier(1));
    assertEquals(8, perStep.stepJobs(), "jobs of a fit with a job per step");
    Fit perEpoch = fit(classifier(0));
    assertEquals(2, perEpoch.stepJobs(), "jobs of a fit with a job per epoch");
    assertSameFit(perStep, perEpoch, "stepsPerJob 0 against 1", 0);
    Fit threes = fit(classifier(3));
    assertEquals(4, threes.stepJobs(), "jobs of 3 and 1 steps in each of 2 epochs");
    assertSameFit(perStep, threes, "stepsPerJob 3 against 1", 0);
  }

  @Test
  void theJobThatEndsAnEpochScoresTheValidationSetAsAJobOfItsOwnWould() throws Exception {
    Fit perStep = fit(classifier(1).setValidationSet(heldOut));
    assertEquals(2, perStep.validationJobs(), "validation jobs with a job per step");
    assertEquals(0, perStep.scoringStepJobs(), "step jobs that score, with a job per step");
    Fit perEpoch = fit(classifier(0).setValidationSet(heldOut));
    assertEquals(0, perEpoch.validationJobs(), "validation jobs with a job per epoch");
    assertEquals(2, perEpoch.scoringStepJobs(), "epoch jobs that score");
    assertTrue(perEpoch.model().epochResults().get(1).testLoss() > 0, "a test loss");
    assertSameFit(perStep, perEpoch, "stepsPerJob 0 against 1, with validation", 0);
    Fit threes = fit(classifier(3).setValidationSet(heldOut));
    assertEquals(4, threes.stepJobs(), "jobs of 3 and 1 steps in each of 2 epochs");
    assertEquals(2, threes.scoringStepJobs(), "the 1-step jobs end the epochs and score");
    assertEquals(0, threes.validationJobs(), "validation jobs with 3 steps per job");
    assertSameFit(perStep, threes, "stepsPerJob 3 against 1, with validation", 0);
  }

  @Test
  void aTaskThatFailsMidJobRejoinsAtTheDriversStepAndLeavesNoFiles(@TempDir Path dir)
      throws Exception {
    // Every state off-chip, so each step writes packs, and the third append fails.
    Fit clean = fit(classifier(1).setSchedule("remote:k=1").setValidationSet(heldOut));
    // Armed once step 1 is done, while the epoch's tasks wait for step 2: the driver's own
    // budget check before the job writes through the location too.
    FailOnceFileSystem.disarm();
    TrainingListener armAfterStep1 =
        new TrainingListener() {
          @Override
          public void onStep(StepMetrics m) {
            if (m.globalStep() == 1) {
              FailOnceFileSystem.rearm();
            }
          }
        };
    Fit retried =
        fit(
            classifier(0)
                .setSchedule("remote:k=1")
                .setValidationSet(heldOut)
                .setListener(armAfterStep1)
                .setOffChipLocation(FailOnceFileSystem.SCHEME + "://" + dir.toUri().getPath()));
    assertEquals(1, FailOnceFileSystem.injectedFailures(), "injected failures");
    assertEquals(1, retried.failedTasks(), "failed task attempts");
    assertEquals(2, retried.stepJobs(), "jobs: the retry ran within the epoch's job");
    assertEquals(0, retried.validationJobs(), "validation jobs: the retried task scored too");
    assertSameFit(clean, retried, "a fit with a task retried mid-job", 0);
    try (Stream<Path> files = Files.walk(dir)) {
      assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "files left behind");
    }
  }

  @Test
  void chunkedSequencesSpillAndAreRemovedStepByStep(@TempDir Path dir) throws Exception {
    // Rows of 7 steps: every sequence is spilled off-chip as it streams past, by a store that
    // serves all of the task's steps in one job.
    Dataset<Row> chunked = new CueTask(SEED, 32, 30, 8).chunkedRows(spark, 7, 5);
    String offChip = dir.toUri().toString();
    SpikingSequenceClassificationModel perStep =
        classifier(1)
            .setSequenceIdCol("seq_id")
            .setOffChipLocation(offChip)
            .setOffChipLayout("files")
            .fit(chunked);
    // A file per spilled chunk (packs keep deleted images until sealed). The driver hears of a
    // step once every task has sent its share, after the task removed what the step spilled;
    // the tasks then wait for the next step with their stores open.
    List<String> leftAfterSteps = new ArrayList<>();
    TrainingListener filesAfterEachStep =
        new TrainingListener() {
          @Override
          public void onStep(StepMetrics m) {
            try (Stream<Path> files = Files.walk(dir)) {
              files
                  .filter(Files::isRegularFile)
                  .forEach(f -> leftAfterSteps.add("step " + m.globalStep() + ": " + f));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        };
    SpikingSequenceClassificationModel perEpoch =
        classifier(0)
            .setSequenceIdCol("seq_id")
            .setOffChipLocation(offChip)
            .setOffChipLayout("files")
            .setListener(filesAfterEachStep)
            .fit(chunked);
    assertArrayEquals(perStep.parameters(), perEpoch.parameters(), "chunked rows");
    assertEquals(List.of(), leftAfterSteps, "spilled chunks left after their step");
    assertTrue(
        perEpoch.history().stream().allMatch(m -> m.offChipBytesWritten() > 0),
        "every step spilled its chunks");
    for (int i = 0; i < perStep.history().size(); i++) {
      assertEquals(
          perStep.history().get(i).offChipBytesWritten(),
          perEpoch.history().get(i).offChipBytesWritten(),
          "bytes written by step " + (i + 1));
    }
    try (Stream<Path> files = Files.walk(dir)) {
      assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "files left behind");
    }
  }

  @Test
  void aNegativeStepsPerJobIsRefusedNamingTheParam() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> classifier(1).setStepsPerJob(-1));
    assertTrue(e.getMessage().contains("stepsPerJob"), e.getMessage());
  }

  @Test
  void moreSlotsThanTheClusterRunsAtOnceFallBackToAJobPerStep() throws Exception {
    Fit perStep = fit(classifier(1).setNumTasks(3));
    Fit asked = fit(classifier(0).setNumTasks(3));
    assertEquals(8, asked.stepJobs(), "local[2] runs 2 of 3 slots at once: a job per step");
    assertSameFit(perStep, asked, "3 slots on 2 cores", 1e-12);
  }
}
