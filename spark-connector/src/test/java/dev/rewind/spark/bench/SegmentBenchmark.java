package dev.rewind.spark.bench;

import dev.rewind.spark.CueTask;
import dev.rewind.spark.SparkSessions;
import dev.rewind.spark.internal.train.DistributedStep;
import dev.rewind.spark.internal.train.EpochPlan;
import dev.rewind.spark.internal.train.GradientFixture;
import dev.rewind.spark.internal.train.GradientSum;
import dev.rewind.spark.internal.train.OffChip;
import dev.rewind.spark.internal.train.Parallelism;
import dev.rewind.spark.internal.train.SegmentPlan;
import dev.rewind.spark.internal.train.SegmentStep;
import dev.rewind.spark.internal.train.TaskSchedule;
import dev.rewind.spark.internal.train.TaskSetup;
import dev.rewind.spark.internal.train.TrainingData;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.Surrogate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Step time and peak on-chip bytes (tape and checkpoints of the largest task) of a few long
 * sequences on two executor JVMs ({@code local-cluster[2,1,MB]}), in one run: segment-parallel
 * ({@code segments:S}, default M) against data-parallel with two task slots and against one task
 * slot (one executor busy). Args: sequences steps channels width repeats S schedule budget
 * executorMb offChipLocation (defaults 2 200000 8 64 3 2 auto 32m 2048, and the executors' local
 * dirs; a Hadoop URI there also makes the segments copy their off-chip checkpoints to it). Run
 * through {@code spark-connector/run-benchmark.sh} with MAIN set; needs SPARK_HOME (an empty jars/
 * suffices) and SPARK_SCALA_VERSION, which the script sets.
 */
public final class SegmentBenchmark {
  private SegmentBenchmark() {}

  public static void main(String[] args) throws Exception {
    int sequences = arg(args, 0, 2);
    int steps = arg(args, 1, 200_000);
    int channels = arg(args, 2, 8);
    int width = arg(args, 3, 64);
    int repeats = arg(args, 4, 3);
    int segments = arg(args, 5, 2);
    String schedule = args.length > 6 ? args[6] : "auto";
    String budget = args.length > 7 ? args[7] : "32m";
    int executorMb = arg(args, 8, 2048);
    OffChip offChip = args.length > 9 ? new OffChip(args[9], "packs") : OffChip.EXECUTOR_LOCAL;
    ModelConfig config =
        new ModelConfig(
            channels,
            List.of(new LayerConfig(width, true)),
            2,
            new Surrogate.FastSigmoid(Surrogate.FastSigmoid.DEFAULT_GAMMA));
    float[] params = Parameters.initialise(config, 1, InitScheme.DEFAULT).data();
    Files.createDirectories(Path.of(System.getenv("SPARK_HOME"), "jars"));
    SparkSession spark =
        SparkSessions.builder("local-cluster[2,1," + executorMb + "]")
            .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
            .config("spark.executor.memory", executorMb + "m")
            .getOrCreate();
    try {
      CueTask task = new CueTask(1, sequences, steps, channels);
      TrainingData data =
          TrainingData.load(
              task.chunkedRows(spark, Math.max(1, steps / 40), 1), GradientFixture.dense("seq_id"));
      TaskSetup setup =
          TaskSetup.of(config, TaskSchedule.of(schedule, budget), offChip, "bench", 0, 0);
      String what =
          sequences
              + " x "
              + steps
              + " steps, 1 x "
              + width
              + " LIF, "
              + schedule
              + " within "
              + budget
              + ", local-cluster[2,1,"
              + executorMb
              + "]"
              + (offChip.location().isEmpty() ? "" : ", off-chip " + offChip.location());
      double[] one = time("data, 1 task slot", repeats, dataStep(data, setup, params, 1));
      double[] two = time("data, 2 task slots", repeats, dataStep(data, setup, params, 2));
      double[] seg =
          time(
              "segments:" + segments,
              repeats,
              segmentStep(spark, data, setup, params, Parallelism.parse("segments:" + segments)));
      System.out.printf(
          "| %s | %.1f s | %.1f s | %.1f s | %.2f | %.2f | %.1f / %.1f / %.1f MiB |%n",
          what, one[0], two[0], seg[0], seg[0] / two[0], seg[0] / one[0], one[1], two[1], seg[1]);
      data.release();
    } finally {
      spark.stop();
    }
  }

  private static Supplier<GradientSum> dataStep(
      TrainingData data, TaskSetup setup, float[] params, int slots) {
    EpochPlan plan = EpochPlan.create(data.table(), 1, 0, data.table().size(), slots);
    var laidOut = data.layOut(plan, true);
    DistributedStep step = new DistributedStep(setup);
    return () -> step.run(laidOut, 0, params);
  }

  private static Supplier<GradientSum> segmentStep(
      SparkSession spark,
      TrainingData data,
      TaskSetup setup,
      float[] params,
      Parallelism parallelism) {
    EpochPlan epoch = EpochPlan.create(data.table(), 1, 0, data.table().size(), 1);
    SegmentPlan plan =
        SegmentPlan.create(epoch, data.chunkSteps(), parallelism, data.table().size());
    Broadcast<SegmentPlan> b =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(plan);
    var laidOut = data.layOutSegments(b, new String[0]);
    SegmentStep step = new SegmentStep(setup, spark.sparkContext().defaultParallelism());
    return () -> step.run(laidOut, b, 0, params);
  }

  /** Median seconds of a step (after one untimed step) and the largest task's peak MiB. */
  private static double[] time(String label, int repeats, Supplier<GradientSum> step) {
    GradientSum warm = step.get();
    double[] seconds = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      long start = System.nanoTime();
      step.get();
      seconds[r] = (System.nanoTime() - start) / 1e9;
    }
    Arrays.sort(seconds);
    double peak = warm.peakOnChipBytes() / 1048576.0;
    System.out.printf(
        "%s: step median %.2f s (min %.2f, max %.2f), peak on-chip %.1f MiB, recomputed %.0f%%%n",
        label,
        seconds[repeats / 2],
        seconds[0],
        seconds[repeats - 1],
        peak,
        100.0 * warm.recomputedSteps() / Math.max(1, warm.forwardSteps()));
    return new double[] {seconds[repeats / 2], peak};
  }

  private static int arg(String[] args, int i, int fallback) {
    return args.length > i ? Integer.parseInt(args[i]) : fallback;
  }
}
