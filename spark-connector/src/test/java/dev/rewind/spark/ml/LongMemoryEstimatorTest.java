package dev.rewind.spark.ml;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.spark.CueTask;
import dev.rewind.spark.SparkSessions;
import dev.rewind.trainer.data.LongMemoryTask;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The trainer's long-memory task (cue, 20-step delay of distractors, recall window; label needs the
 * cue) as sparse events through the Estimator in local[2], against the single-JVM trainer with the
 * same initialisation, mini-batches and Adam. 120 optimizer steps, so tagged slow; run it with
 * {@code MAIN=dev.rewind.spark.ml.LongMemoryEstimatorTest spark-connector/run-benchmark.sh}.
 */
@Tag("slow")
@Timeout(600)
public class LongMemoryEstimatorTest {
  private static final long SEED = 77;

  /** Runs the test outside surefire, whose configuration always excludes the slow tag. */
  public static void main(String[] args) {
    new LongMemoryEstimatorTest().reachesTheSingleJvmAccuracy();
  }

  @Test
  void reachesTheSingleJvmAccuracy() {
    LongMemoryTask task = new LongMemoryTask(40, 20, 20, 2, 10, 0.02, 10);
    System.out.println("long-memory task seeds 1 (train) and 2 (test), model seed " + SEED);
    CueTask train = CueTask.of(task.generate(256, 1));
    CueTask test = CueTask.of(task.generate(128, 2));
    SparkSession spark = SparkSessions.local("local[2]");
    try {
      SpikingSequenceClassifier classifier =
          new SpikingSequenceClassifier()
              .setInputFormat("events")
              .setNumChannels(20)
              .setNumClasses(2)
              .setLayers(64)
              .setEpochs(15)
              .setBatchSize(32)
              .setLearningRate(0.05)
              .setSeed(SEED)
              .setNumTasks(2);
      long start = System.nanoTime();
      SpikingSequenceClassificationModel model = classifier.fit(train.eventRows(spark));
      double fitSeconds = (System.nanoTime() - start) / 1e9;
      float[] single = SingleJvmTrainer.train(train, classifier.modelConfig(), SEED, 15, 32, 0.05);
      double singleAccuracy = SingleJvmTrainer.accuracy(test, classifier.modelConfig(), single);
      double estimatorAccuracy =
          model
                  .transform(test.eventRows(spark))
                  .filter("prediction = cast(label as double)")
                  .count()
              / (double) test.sequences;
      System.out.printf(
          "long-memory held-out accuracy: single-JVM %.4f, Estimator %.4f (fit %.1f s)%n",
          singleAccuracy, estimatorAccuracy, fitSeconds);
      assertTrue(singleAccuracy >= 0.85, "single-JVM accuracy " + singleAccuracy);
      // Step gradients agree to float rounding, but Adam turns rounding-level differences in
      // near-zero gradient entries into full-size steps, so 120 steps later the two runs are
      // different networks of similar quality; the margin allows for that spread.
      assertTrue(estimatorAccuracy >= 0.85, "Estimator accuracy " + estimatorAccuracy);
      assertTrue(
          estimatorAccuracy >= singleAccuracy - 0.1,
          "Estimator " + estimatorAccuracy + " vs single-JVM " + singleAccuracy);
    } finally {
      spark.stop();
    }
  }
}
