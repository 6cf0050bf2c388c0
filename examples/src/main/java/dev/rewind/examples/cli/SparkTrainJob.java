package dev.rewind.examples.cli;

import dev.rewind.examples.spark.EpochwiseFit;
import dev.rewind.examples.spark.InputTable;
import dev.rewind.examples.spark.SequenceRows;
import dev.rewind.examples.spark.SparkRuntime;
import dev.rewind.spark.data.InputFormat;
import dev.rewind.spark.metrics.StepMetrics;
import dev.rewind.spark.ml.SpikingSequenceClassifier;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.training.EpochResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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

  SparkTrainJob(TrainCommand cmd) {
    this.cmd = cmd;
  }

  int run(PrintWriter console) throws IOException {
    SpikingSequenceClassifier classifier = classifier();
    Path work = Files.createTempDirectory("rewind-train-");
    try (SparkRuntime runtime = SparkRuntime.start("rewind train")) {
      Data data = cmd.input == null ? builtIn(runtime) : parquet(runtime);
      classifier
          .setNumChannels(data.channels)
          .setNumClasses(data.classes)
          .setInputFormat(data.train.formatName())
          .setSequenceIdCol(data.train.sequenceIdCol());
      if (cmd.schedule.offchip != null) {
        classifier.setOffChipLocation(offChipRoot(runtime, cmd.schedule.offchip));
      }
      // Checks columns and model before any job runs.
      classifier.transformSchema(data.train.rows().schema());
      classifier.transformSchema(data.test.rows().schema());
      ModelConfig config = classifier.modelConfig();
      console.printf(
          Locale.ROOT,
          "%s; Spark %s, master %s; model %s%n",
          data.description,
          runtime.spark().version(),
          runtime.spark().sparkContext().master(),
          config.toJson());
      console.flush();
      EpochwiseFit.Result result;
      try (Progress progress = new Progress(console)) {
        result =
            new EpochwiseFit(classifier, work.resolve("state").toUri().toString())
                .run(data.train, data.sequences, data.test, cmd.optimizer.epochs, progress);
      }
      console.println(offChipSummary(result.steps()));
      if (cmd.out != null) {
        Parameters parameters = Parameters.wrap(config, result.model().parameters());
        ScheduleReport schedules =
            SparkScheduleReport.of(data.train, config, parameters, cmd.schedule, result.steps());
        new RunFolder(cmd.out)
            .write(
                data.description,
                config,
                parameters,
                result.epochs(),
                schedules,
                staging -> {
                  RunFolder.writeJsonLines(staging.resolve("steps.jsonl"), result.steps());
                  result.model().write().save(staging.resolve("spark-model").toUri().toString());
                });
        console.println("wrote " + cmd.out.toAbsolutePath());
      }
    } finally {
      RunFolder.deleteRecursively(work);
    }
    return 0;
  }

  /**
   * {@code --offchip} as a URI whose directory exists before any task runs: tasks then share it
   * without creating (and, when closing, removing) it under each other. A plain directory becomes a
   * file: URI. Without --offchip the executors' local dirs hold the blobs (embedded: a temporary
   * directory removed at the end).
   */
  private static String offChipRoot(SparkRuntime runtime, String location) throws IOException {
    String uri =
        location.contains("://") || location.startsWith("file:")
            ? location
            : Path.of(location).toAbsolutePath().toUri().toString();
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(uri);
    root.getFileSystem(runtime.spark().sparkContext().hadoopConfiguration()).mkdirs(root);
    return uri;
  }

  /** The Estimator for the model, optimizer and schedule options; refuses what it cannot do. */
  private SpikingSequenceClassifier classifier() {
    ModelOptions m = cmd.model;
    OptimizerOptions o = cmd.optimizer;
    ModelOptions.surrogate(m.surrogate);
    if (m.tau != 20) {
      throw jvmOnly("--tau", "the Spark engine's LIF layers use tau 20", m.tau);
    }
    if (m.initScale != null) {
      throw jvmOnly("--init-scale", "the Spark engine uses the default init", m.initScale);
    }
    if (o.warmup != null) {
      throw jvmOnly("--cosine", "the Spark engine keeps the learning rate constant", o.warmup);
    }
    if (o.optimizer.equals("sgd") && o.momentum != 0) {
      throw new IllegalArgumentException(
          "--momentum: expected 0 with --engine spark --optimizer sgd (plain SGD there), got "
              + o.momentum);
    }
    if (!o.optimizer.equals("adam") && !o.optimizer.equals("sgd")) {
      throw new IllegalArgumentException(
          "--optimizer: expected adam or sgd, got '" + o.optimizer + "'");
    }
    if (o.clip < 0) {
      throw new IllegalArgumentException("--clip: expected >= 0, got " + o.clip);
    }
    if (o.epochs < 1) {
      throw new IllegalArgumentException("--epochs: expected >= 1, got " + o.epochs);
    }
    if (cmd.taskBatch < 1) {
      throw new IllegalArgumentException("--task-batch: expected >= 1, got " + cmd.taskBatch);
    }
    String recurrence = "recurrent";
    if (m.recurrent != null) {
      if (m.recurrent.size() != m.layers.size() || m.recurrent.stream().distinct().count() != 1) {
        throw new IllegalArgumentException(
            "--recurrent: expected one value, the same for each of the "
                + m.layers.size()
                + " layers, with --engine spark, got "
                + m.recurrent);
      }
      recurrence = m.recurrent.get(0) ? "recurrent" : "feedforward";
    }
    return new SpikingSequenceClassifier()
        .setLayers(m.layers.stream().mapToInt(Integer::intValue).toArray())
        .setRecurrence(recurrence)
        .setSurrogate(m.surrogate)
        .setSchedule(cmd.schedule.schedule)
        .setMemoryBudget(cmd.schedule.memoryBudget)
        .setBatchSize(cmd.batch)
        .setTaskBatchSize(cmd.taskBatch)
        .setOptimizer(o.optimizer)
        .setLearningRate(o.lr)
        .setGradientClipNorm(o.clip)
        .setSeed(cmd.seed);
  }

  private static IllegalArgumentException jvmOnly(String option, String why, Object value) {
    return new IllegalArgumentException(
        option + ": expected only with --engine jvm (" + why + "), got " + value);
  }

  /** Training and test tables, their sizes and a one-line description. */
  private record Data(
      InputTable train,
      InputTable test,
      long sequences,
      int channels,
      int classes,
      String description) {}

  private Data builtIn(SparkRuntime runtime) throws IOException {
    cmd.checkSizes();
    TaskOptions.TaskData task = cmd.task.load(cmd.trainSize, cmd.testSize, cmd.batch, cmd.seed);
    InputFormat format = SequenceRows.formatOf(task.train(), task.test());
    int partitions = runtime.spark().sparkContext().defaultParallelism();
    Dataset<Row> train =
        SequenceRows.dataFrame(
            runtime.spark(), task.train(), format, task.channels(), task.classes(), partitions);
    Dataset<Row> test =
        SequenceRows.dataFrame(
            runtime.spark(), task.test(), format, task.channels(), task.classes(), partitions);
    return new Data(
        InputTable.of(train, "--task " + cmd.task.task, true),
        InputTable.of(test, "--task " + cmd.task.task, true),
        cmd.trainSize,
        task.channels(),
        task.classes(),
        task.description());
  }

  private Data parquet(SparkRuntime runtime) {
    cmd.rejectTaskOptions();
    InputTable train = InputTable.parquet(runtime.spark(), "--input", cmd.input, true);
    InputTable test;
    if (cmd.testInput != null) {
      test = InputTable.parquet(runtime.spark(), "--test-input", cmd.testInput, true);
    } else {
      double f = cmd.validationFraction;
      if (!(f > 0 && f < 1)) {
        throw new IllegalArgumentException(
            "--validation-fraction: expected a fraction in (0, 1), got " + f);
      }
      Dataset<Row>[] split = splitBySequence(train, f);
      test = InputTable.of(split[1], "--input " + cmd.input, true);
      train = InputTable.of(split[0], "--input " + cmd.input, true);
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

  /** A progress bar per epoch and one line per epoch, as the JVM engine prints them. */
  private static final class Progress implements EpochwiseFit.Listener, AutoCloseable {
    private final EpochConsole console;
    private int epochs;

    Progress(PrintWriter console) {
      this.console = new EpochConsole(console);
    }

    @Override
    public void onEpochStart(int epoch, int epochs, int steps) {
      this.epochs = epochs;
      console.startEpoch(epoch, epochs, steps);
    }

    @Override
    public void onStep(StepMetrics m) {
      console.step(m.loss());
    }

    @Override
    public void onEpoch(EpochResult r) {
      console.endEpoch(r, epochs);
    }

    @Override
    public void close() {
      console.close();
    }
  }
}
