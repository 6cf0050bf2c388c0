package dev.rewind.spark.bench;

import dev.rewind.spark.CueTask;
import dev.rewind.spark.SparkSessions;
import dev.rewind.spark.internal.train.DistributedStep;
import dev.rewind.spark.internal.train.EpochPlan;
import dev.rewind.spark.internal.train.GradientFixture;
import dev.rewind.spark.internal.train.GradientSum;
import dev.rewind.spark.internal.train.OffChip;
import dev.rewind.spark.internal.train.TaskSchedule;
import dev.rewind.spark.internal.train.TaskSetup;
import dev.rewind.spark.internal.train.TrainingData;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.Surrogate;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * Step time of one distributed step with 1 and with 2 executor cores ({@code local[1]} vs {@code
 * local[2]}, as many task slots as cores), the speedup between them, and the share of the step the
 * driver spends merging task results. Args: sequences steps channels width repeats [taskBatch]
 * (defaults 32 400 20 128 5 1). Prints one line per setting and a Markdown table row; with a task
 * batch above 1 also the local[2] step time with it and the ratio per-sequence / batched.
 */
public final class StepTimeBenchmark {
  /**
   * Untimed steps per setting. With one, local[1] (which runs first) was timed while the JIT was
   * still compiling the engine, which made two slots look 1.4 to 2 x faster than they are.
   */
  private static final int WARMUP_STEPS = 5;

  private StepTimeBenchmark() {}

  public static void main(String[] args) {
    int sequences = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    int channels = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int width = args.length > 3 ? Integer.parseInt(args[3]) : 128;
    int repeats = args.length > 4 ? Integer.parseInt(args[4]) : 5;
    int taskBatch = args.length > 5 ? Integer.parseInt(args[5]) : 1;
    ModelConfig config =
        new ModelConfig(
            channels,
            List.of(new LayerConfig(width, true)),
            2,
            new Surrogate.FastSigmoid(Surrogate.FastSigmoid.DEFAULT_GAMMA));
    float[] params = Parameters.initialise(config, 1, InitScheme.DEFAULT).data();
    CueTask task = new CueTask(1, sequences, steps, channels);
    double[] medians = new double[2];
    for (int cores = 1; cores <= 2; cores++) {
      medians[cores - 1] = medianStep(task, config, params, cores, 1, repeats);
    }
    System.out.printf(
        "| %d x %d steps, %d channels, 1 x %d LIF | %.0f ms | %.0f ms | %.2f |%n",
        sequences, steps, channels, width, medians[0], medians[1], medians[0] / medians[1]);
    if (taskBatch > 1) {
      double batched = medianStep(task, config, params, 2, taskBatch, repeats);
      System.out.printf(
          "local[2] step median: per sequence %.0f ms, task batch %d %.0f ms, ratio %.2f%n",
          medians[1], taskBatch, batched, medians[1] / batched);
    }
  }

  /** The median time of one step in {@code local[cores]} with {@code taskBatch}, printed. */
  private static double medianStep(
      CueTask task, ModelConfig config, float[] params, int cores, int taskBatch, int repeats) {
    SparkSession spark = SparkSessions.local("local[" + cores + "]");
    try {
      TrainingData data = TrainingData.load(task.denseRows(spark), GradientFixture.dense(""));
      EpochPlan plan = EpochPlan.create(data.table(), 1, 0, task.sequences, cores);
      var laidOut = data.layOut(plan, true);
      DistributedStep step =
          new DistributedStep(
              TaskSetup.of(
                  config,
                  TaskSchedule.of("store-all", "1g"),
                  OffChip.EXECUTOR_LOCAL,
                  "bench",
                  taskBatch,
                  0));
      for (int w = 0; w < WARMUP_STEPS; w++) {
        step.run(laidOut, 0, params);
      }
      double[] millis = new double[repeats];
      double[] driver = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        long start = System.nanoTime();
        GradientSum sum = step.run(laidOut, 0, params);
        long mergeStart = System.nanoTime();
        sum.meanGradient();
        long end = System.nanoTime();
        millis[r] = (end - start) / 1e6;
        driver[r] = (sum.driverMergeNanos() + end - mergeStart) / 1e6;
      }
      data.release();
      Arrays.sort(millis);
      Arrays.sort(driver);
      System.out.printf(
          "local[%d], task batch %d: step median %.0f ms (min %.0f, max %.0f), driver aggregation"
              + " median %.2f ms = %.2f%% of the step%n",
          cores,
          taskBatch,
          millis[repeats / 2],
          millis[0],
          millis[repeats - 1],
          driver[repeats / 2],
          100 * driver[repeats / 2] / millis[repeats / 2]);
      return millis[repeats / 2];
    } finally {
      spark.stop();
    }
  }
}
