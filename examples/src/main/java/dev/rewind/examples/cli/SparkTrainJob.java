package dev.rewind.examples.cli;

import dev.rewind.examples.spark.Hadoop;
import dev.rewind.examples.spark.InputTable;
import dev.rewind.examples.spark.SequenceRows;
import dev.rewind.examples.spark.SparkRuntime;
import dev.rewind.spark.data.InputFormat;
import dev.rewind.spark.data.Supervision;
import dev.rewind.spark.internal.train.OffChip;
import dev.rewind.spark.internal.train.Parallelism;
import dev.rewind.spark.internal.train.SegmentStep;
import dev.rewind.spark.internal.train.TaskCpus;
import dev.rewind.spark.internal.train.TrainingState;
import dev.rewind.spark.internal.train.TrainingStateStore;
import dev.rewind.spark.ml.SpikingSequenceClassificationModel;
import dev.rewind.spark.ml.SpikingSequenceClassifier;
import dev.rewind.trainer.bptt.LifEngine;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.ModelSetup;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.training.StepMetrics;
import dev.rewind.trainer.training.TrainingConfig;
import dev.rewind.trainer.training.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code rewind train --engine spark}: the task (built-in or Parquet) as DataFrames, fitted with
 * the connector's Estimator one epoch at a time, scored on the test set after each epoch, and
 * written as a run folder (with the {@link SparkScheduleReport}) plus the Spark ML model in {@code
 * spark-model/}.
 */
final class SparkTrainJob {
  private final TrainCommand cmd;
  private final TrainingConfig training;

  SparkTrainJob(TrainCommand cmd, TrainingConfig training) {
    this.cmd = cmd;
    this.training = training;
  }

  int run(PrintWriter console) throws IOException {
    if (cmd.taskBatch < 0) {
      throw new IllegalArgumentException(
          "--task-batch: expected >= 0 (0 = as many as fit), got " + cmd.taskBatch);
    }
    if (cmd.stepsPerJob < 0) {
      throw new IllegalArgumentException(
          "--steps-per-job: expected >= 0 (0 = every step of an epoch), got " + cmd.stepsPerJob);
    }
    try (SparkRuntime runtime = SparkRuntime.start("rewind train")) {
      Data data = cmd.input == null ? builtIn(runtime) : parquet(runtime);
      ModelSetup setup =
          cmd.model.toSetup(data.channels, data.classes, data.train.dense(), cmd.seed);
      SpikingSequenceClassifier classifier =
          new SpikingSequenceClassifier()
              .setModelSetup(setup)
              .setTrainingConfig(training)
              .setSchedule(cmd.schedule.spec())
              .setMemoryBudget(cmd.schedule.budget())
              .setTaskBatchSize(cmd.taskBatch)
              .setStepsPerJob(cmd.stepsPerJob)
              .setParallelism(cmd.parallel)
              .setInputFormat(data.train.formatName())
              .setSequenceIdCol(data.train.sequenceIdCol());
      if (cmd.schedule.offchip != null) {
        classifier.setOffChipLocation(offChipRoot(runtime, cmd.schedule.offchip));
      }
      classifier.setOffChipLayout(cmd.schedule.layout());
      String state = stateLocation();
      if (state != null) {
        classifier.setCheckpointPath(state);
      }
      Optional<TrainingState> saved =
          state == null
              ? Optional.empty()
              : new TrainingStateStore(state, runtime.spark().sparkContext().hadoopConfiguration())
                  .latest();
      // Checks columns and model before any job runs.
      classifier.transformSchema(data.train.rows().schema());
      classifier.transformSchema(data.test.rows().schema());
      ModelConfig config = setup.network();
      console.printf(
          Locale.ROOT,
          "%s; Spark %s, master %s; model %s; %s%nkernels: threads per task = spark.task.cpus = %s,"
              + " %s on the driver%n",
          data.description,
          runtime.spark().version(),
          runtime.spark().sparkContext().master(),
          config.toJson(),
          setup.init(),
          TaskCpus.of(runtime.spark()),
          LifEngine.productKernel());
      if (state != null) {
        console.println(
            saved
                .map(
                    st ->
                        "resuming from "
                            + state
                            + " after global step "
                            + st.globalStep()
                            + " (epoch "
                            + (st.epoch() + 1)
                            + ", step "
                            + (st.stepInEpoch() + 1)
                            + " next)")
                .orElse(
                    "training state in "
                        + state
                        + ": rerun this command to resume after a stop; removed when the run"
                        + " completes"));
      }
      console.flush();
      SpikingSequenceClassificationModel model;
      List<StepMetrics> steps = new ArrayList<>();
      int stepsPerEpoch = (int) training.stepsPerEpoch(data.sequences);
      boolean classifies = !config.loss().regression();
      try (EpochProgress progress =
          new EpochProgress(console, training.epochs(), stepsPerEpoch, classifies)) {
        model =
            classifier
                .setValidationSet(data.test.rows())
                .setListener(
                    TrainingListener.all(List.of(TrainingListener.addingStepsTo(steps), progress)))
                .fit(data.train.rows());
      }
      Parameters parameters = Parameters.wrap(config, model.parameters());
      // What the fit ran with: auto resolved to data or segments.
      Parallelism parallelism = Parallelism.parse(model.parallelismUsed());
      if (Parallelism.parse(cmd.parallel).auto()) {
        console.println(
            "--parallel auto: trained with "
                + parallelism
                + (parallelism.bySegments()
                    ? " (the longest sequence does not fit --memory-budget whole)"
                    : " (each task trains whole sequences)"));
      }
      int segments = parallelism.bySegments() ? parallelism.segments() : 1;
      int micro = parallelism.bySegments() ? parallelism.microBatches(training.batchSize()) : 1;
      SparkContext sc = runtime.spark().sparkContext();
      int sharing =
          parallelism.bySegments()
              ? SegmentStep.sharing(sc, sc.defaultParallelism(), segments, micro)
              : 1;
      ScheduleReport schedules =
          SparkScheduleReport.of(
              data.train,
              config,
              parameters,
              cmd.schedule,
              new OffChip(classifier.getOffChipLocation(), classifier.getOffChipLayout()),
              parallelism.bySegments()
                  ? parallelism.microBatchSize(training.batchSize())
                  : sequencesPerRun(data, runtime),
              segments,
              sharing,
              steps);
      console.println(offChipSummary(steps));
      if (parallelism.bySegments()) {
        console.println(
            String.format(
                Locale.ROOT,
                "%s: %d micro-batches a step; each segment's schedule within 1/%d of the memory"
                    + " budget (the segments an executor keeps between the waves share it), peak"
                    + " per executor with what it keeps",
                parallelism,
                micro,
                sharing));
      }
      console.println(schedules.memorySummary());
      if (cmd.out != null) {
        new RunFolder(cmd.out)
            .write(
                data.description,
                setup,
                training,
                parameters,
                model.epochResults(),
                schedules,
                staging -> {
                  RunFolder.writeJsonLines(staging.resolve("steps.jsonl"), steps);
                  model.write().save(staging.resolve("spark-model").toUri().toString());
                });
        console.println("wrote " + cmd.out.toAbsolutePath());
      }
      if (cmd.state != null) {
        deleteState(runtime, state);
      }
    }
    return 0;
  }

  /**
   * Where the training state goes: --state (a folder becomes a file: URI), else --out's {@value
   * RunFolder#STATE}/, else nowhere.
   */
  private String stateLocation() {
    if (cmd.state != null) {
      return Hadoop.uriOf(cmd.state);
    }
    return cmd.out == null
        ? null
        : cmd.out.toAbsolutePath().resolve(RunFolder.STATE).toUri().toString();
  }

  /** Removes a completed run's --state (--out's own goes with the run folder's rename). */
  private static void deleteState(SparkRuntime runtime, String location) throws IOException {
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(location);
    dir.getFileSystem(runtime.spark().sparkContext().hadoopConfiguration()).delete(dir, true);
  }

  /**
   * How many sequences a task computes in one batched run: its share of a step's mini-batch, or the
   * --task-batch limit. The schedule report's predictions are for a run of that size.
   */
  private int sequencesPerRun(Data data, SparkRuntime runtime) {
    int tasks = runtime.spark().sparkContext().defaultParallelism();
    int share = (int) Math.min(data.sequences, (training.batchSize() + tasks - 1) / tasks);
    return cmd.taskBatch == 0 ? share : Math.min(share, cmd.taskBatch);
  }

  /**
   * {@code --offchip} as a URI whose directory exists before any task runs: tasks then share it
   * without creating (and, when closing, removing) it under each other. A plain directory becomes a
   * file: URI. Without --offchip the executors' local dirs hold the blobs (embedded: a temporary
   * directory removed at the end).
   */
  private static String offChipRoot(SparkRuntime runtime, String location) throws IOException {
    String uri = Hadoop.uriOf(location);
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(uri);
    root.getFileSystem(runtime.spark().sparkContext().hadoopConfiguration()).mkdirs(root);
    return uri;
  }

  /** Training and test tables, their sizes and a one-line description. */
  private record Data(
      InputTable train,
      InputTable test,
      long sequences,
      int channels,
      int classes,
      String description) {}

  /** What the rows must carry for the model's loss head. */
  private Supervision supervision() {
    return Supervision.of(cmd.model.lossHead());
  }

  private Data builtIn(SparkRuntime runtime) throws IOException {
    cmd.checkSizes();
    TaskOptions.TaskData task =
        cmd.task.load(
            cmd.trainSize, cmd.testSize, training.batchSize(), cmd.seed, cmd.model.lossHead());
    InputFormat format = SequenceRows.formatOf(task.train(), task.test());
    int partitions = runtime.spark().sparkContext().defaultParallelism();
    Dataset<Row> train =
        SequenceRows.dataFrame(
            runtime.spark(), task.train(), format, task.channels(), task.classes(), partitions);
    Dataset<Row> test =
        SequenceRows.dataFrame(
            runtime.spark(), task.test(), format, task.channels(), task.classes(), partitions);
    return new Data(
        InputTable.of(train, "--task " + cmd.task.task, supervision()),
        InputTable.of(test, "--task " + cmd.task.task, supervision()),
        cmd.trainSize,
        task.channels(),
        task.classes(),
        task.description());
  }

  private Data parquet(SparkRuntime runtime) {
    cmd.rejectTaskOptions();
    InputTable train = InputTable.parquet(runtime.spark(), "--input", cmd.input, supervision());
    InputTable test;
    if (cmd.testInput != null) {
      test = InputTable.parquet(runtime.spark(), "--test-input", cmd.testInput, supervision());
    } else {
      double f = cmd.validationFraction;
      if (!(f > 0 && f < 1)) {
        throw new IllegalArgumentException(
            "--validation-fraction: expected a fraction in (0, 1), got " + f);
      }
      Dataset<Row>[] split = splitBySequence(train, f);
      test = InputTable.of(split[1], "--input " + cmd.input, supervision());
      train = InputTable.of(split[0], "--input " + cmd.input, supervision());
    }
    int channels = size(train, train.channels(), "--channels", SequenceRows.CHANNELS);
    int classes = size(train, train.classes(), "--classes", SequenceRows.CLASSES);
    long sequences =
        train.chunked() ? train.rows().select("seq_id").distinct().count() : train.rows().count();
    long testSequences =
        test.chunked() ? test.rows().select("seq_id").distinct().count() : test.rows().count();
    if (sequences == 0 || testSequences == 0) {
      throw new IllegalArgumentException(
          "--input: expected training and test sequences, got "
              + sequences
              + " and "
              + testSequences);
    }
    return new Data(
        train,
        test,
        sequences,
        channels,
        classes,
        String.format(
            Locale.ROOT,
            "Parquet %s (%s): %d train / %d test sequences%s",
            cmd.input,
            train.formatName(),
            sequences,
            testSequences,
            cmd.testInput == null
                ? ", test split off with seed " + cmd.seed
                : " from " + cmd.testInput));
  }

  /** A seeded split that keeps each multi-row sequence on one side. */
  private Dataset<Row>[] splitBySequence(InputTable table, double fraction) {
    if (!table.chunked()) {
      return table.rows().randomSplit(new double[] {1 - fraction, fraction}, cmd.seed);
    }
    Dataset<Row>[] ids =
        table
            .rows()
            .select("seq_id")
            .distinct()
            .randomSplit(new double[] {1 - fraction, fraction}, cmd.seed);
    @SuppressWarnings("unchecked")
    Dataset<Row>[] out = new Dataset[2];
    for (int i = 0; i < 2; i++) {
      out[i] = table.rows().join(ids[i], "seq_id");
    }
    return out;
  }

  /** A size from the column metadata or the option; both present must agree. */
  private int size(InputTable train, java.util.OptionalInt meta, String option, String key) {
    boolean given = cmd.given(option);
    int value = option.equals("--channels") ? cmd.task.channels : cmd.task.classes;
    if (meta.isPresent()) {
      if (given && value != meta.getAsInt()) {
        throw new IllegalArgumentException(
            option
                + ": expected "
                + meta.getAsInt()
                + " as the input's "
                + key
                + " says, got "
                + value);
      }
      return meta.getAsInt();
    }
    if (!given) {
      throw new IllegalArgumentException(
          "--input: expected column metadata "
              + key
              + " (rewind convert writes it) or "
              + option
              + ", got neither");
    }
    return value;
  }

  private static String offChipSummary(List<StepMetrics> steps) {
    long bytes = steps.stream().mapToLong(StepMetrics::offChipBytesWritten).sum();
    double blocked = steps.stream().mapToDouble(StepMetrics::ioBlockedMillis).sum();
    double recomputed =
        steps.stream().mapToDouble(StepMetrics::recomputationRatio).average().orElse(0);
    return String.format(
        Locale.ROOT,
        "%d training steps on Spark, recomputed %.1f%% of forward steps, %.1f MB written"
            + " off-chip, %.2f s blocked on I/O (summed over tasks)",
        steps.size(),
        100 * recomputed,
        bytes / 1e6,
        blocked / 1e3);
  }
}
