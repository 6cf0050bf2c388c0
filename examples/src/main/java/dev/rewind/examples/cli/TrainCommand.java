package dev.rewind.examples.cli;

import dev.rewind.trainer.bptt.LifEngine;
import dev.rewind.trainer.model.LossSpec;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.ModelSetup;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.training.EpochResult;
import dev.rewind.trainer.training.StepMetrics;
import dev.rewind.trainer.training.TrainingConfig;
import dev.rewind.trainer.training.TrainingListener;
import dev.rewind.trainer.training.TrainingLoop;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rewind train}: trains a spiking network on a built-in dataset or Parquet input, on Spark
 * (an embedded local master unless spark-submit configured one) or on this JVM alone.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Train a spiking network with exact BPTT: on Spark (default; embedded local[*] master"
            + " unless spark-submit set one) or on this JVM (--engine jvm).")
public final class TrainCommand implements Callable<Integer> {
  @Mixin TaskOptions task;
  @Mixin ModelOptions model;
  @Mixin OptimizerOptions optimizer;
  @Mixin ScheduleOptions schedule;
  @Mixin StageOptions stages;

  @Option(
      names = "--train-size",
      defaultValue = "256",
      description =
          "Training sequences (a multiple of --batch); Fashion-MNIST: the first images of the"
              + " official train file.")
  int trainSize;

  @Option(
      names = "--test-size",
      defaultValue = "128",
      description =
          "Held-out sequences (a multiple of --batch), reported after every epoch and never used"
              + " for training; Fashion-MNIST: the first images of the official t10k file.")
  int testSize;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of data, weights and shuffling (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--out",
      description =
          "Folder for model.json, setup.json (model and training settings), params/*.npy,"
              + " metrics.jsonl and .csv, loss.png, accuracy.png, schedules.csv and .png,"
              + " schedule-used.csv and index.html.")
  Path out;

  @Option(
      names = "--state",
      description =
          "[spark] Folder or Hadoop URI for the training state, saved every 10 steps and at each"
              + " epoch's end; rerunning the same command resumes from it bit for bit. Removed when"
              + " the run completes. Default: --out's training-state/ (none without --out).")
  String state;

  @Option(
      names = "--engine",
      defaultValue = "spark",
      description =
          "spark (default): the Spark ML Estimator, data-parallel over the master's task slots;"
              + " jvm: one training loop on this JVM. Both take every model and training option.")
  String engine;

  @Option(
      names = "--input",
      description =
          "[spark] Train on Parquet (a path or Hadoop URI) with the columns rewind convert writes"
              + " instead of a built-in task.")
  String input;

  @Option(
      names = "--test-input",
      description = "[spark] Parquet scored after every epoch (default: split off --input).")
  String testInput;

  @Option(
      names = "--validation-fraction",
      defaultValue = "0.2",
      description =
          "[spark] Share of --input's sequences held out, seeded by --seed, when --test-input is"
              + " not given (default ${DEFAULT-VALUE}).")
  double validationFraction;

  @Option(
      names = "--task-batch",
      defaultValue = "0",
      description =
          "[spark] Each task computes up to this many of its sequences of equal length in one"
              + " batched run; 0 (default): as many as --memory-budget allows (fastest, the same"
              + " gradient as --engine jvm to float rounding); 1: one sequence at a time (the sum"
              + " of per-sequence gradients, bit for bit).")
  int taskBatch;

  @Option(
      names = "--steps-per-job",
      defaultValue = "0",
      description =
          "[spark] The most optimizer steps one Spark job runs, its tasks trading gradient sums and"
              + " parameters with the driver over Spark's RPC; 0 (default): every step of an"
              + " epoch; 1: a job per step. The same updates either way, bit for bit.")
  int stepsPerJob;

  @Option(
      names = "--parallel",
      defaultValue = "data",
      description =
          "[spark] data (default): each task trains whole sequences; segments:S[,micro=M]: each"
              + " sequence is cut in time into S segments, trained by S tasks in a forward and a"
              + " backward wave of jobs over M micro-batches of the mini-batch (default M = S), for"
              + " a few sequences too long for one executor; auto: data unless the longest"
              + " sequence does not fit --memory-budget whole, then the fewest segments that fit.")
  String parallel;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter console = spec.commandLine().getOut();
    if (out != null) {
      RunFolder.requireNewOrResumable(out);
    }
    if (!engine.equals("spark") && !engine.equals("jvm")) {
      throw new IllegalArgumentException("--engine: expected spark or jvm, got '" + engine + "'");
    }
    if (stages.selected() && engine.equals("spark") && given("--engine")) {
      throw new IllegalArgumentException(
          "--engine: expected jvm (or none) with --trainer, which runs on one JVM, got spark");
    }
    TrainingConfig training = optimizer.toConfig();
    LossSpec head = model.lossHead();
    if (engine.equals("spark") && !stages.selected()) {
      return new SparkTrainJob(this, training).run(console);
    }
    if (input != null || testInput != null) {
      throw new IllegalArgumentException(
          "--input, --test-input: expected only with --engine spark, got --engine " + engine);
    }
    if (state != null) {
      throw new IllegalArgumentException(
          "--state: expected only on the Spark engine (the JVM loop saves no training state), got '"
              + state
              + "'");
    }
    if (given("--parallel")) {
      throw new IllegalArgumentException(
          "--parallel: expected only on the Spark engine, got '"
              + parallel
              + "' for a run on one JVM");
    }
    if (given("--steps-per-job")) {
      throw new IllegalArgumentException(
          "--steps-per-job: expected only on the Spark engine, got "
              + stepsPerJob
              + " for a run on one JVM (which runs no Spark jobs)");
    }
    if (given("--task-batch")) {
      throw new IllegalArgumentException(
          "--task-batch: expected only on the Spark engine, got "
              + taskBatch
              + " for a run on one JVM (which already computes whole batches at once)");
    }
    checkSizes();
    TaskOptions.TaskData data = task.load(trainSize, testSize, training.batchSize(), seed, head);
    if (stages.selected()) {
      if (out != null || optimizer.warmup != null || training.truncation() != 0) {
        throw new IllegalArgumentException(
            "--trainer: --out, --cosine and --truncate apply to the LIF network only; drop them");
      }
      new StageTraining(stages, model, schedule)
          .run(console, data.train(), data.test(), training, data.channels(), data.classes(), seed);
      return 0;
    }
    ModelSetup setup = model.toSetup(data, seed);
    ModelConfig config = setup.network();
    Parameters parameters = setup.initialParameters();
    console.printf(
        Locale.ROOT,
        "%s; model %s; %s%nkernels: %d threads, %s%n",
        data.description(),
        config.toJson(),
        setup.init(),
        Runtime.getRuntime().availableProcessors(),
        LifEngine.productKernel());
    console.flush();
    List<EpochResult> results;
    List<StepMetrics> steps = new ArrayList<>();
    ScheduleReport schedules;
    int batch = training.batchSize();
    try (ScheduleOptions.Session offchip = schedule.open(config, batch, training.truncation());
        EpochProgress progress =
            new EpochProgress(
                console, training.epochs(), data.train().size(), !head.regression())) {
      TrainingLoop loop = new TrainingLoop(training, offchip.gradients(config, batch));
      results =
          loop.train(
              parameters,
              data.train(),
              data.test(),
              TrainingListener.all(List.of(TrainingListener.addingStepsTo(steps), progress)));
      schedules = offchip.report(data.train().get(0).steps());
      console.println(offchip.summary());
      console.println(schedules.memorySummary());
    }
    if (out != null) {
      new RunFolder(out)
          .write(
              data.description(),
              setup,
              training,
              parameters,
              results,
              schedules,
              staging -> RunFolder.writeJsonLines(staging.resolve("steps.jsonl"), steps));
      console.println("wrote " + out.toAbsolutePath());
    }
    return 0;
  }

  void checkSizes() {
    if (trainSize < 1 || testSize < 1) {
      throw new IllegalArgumentException(
          "--train-size, --test-size: expected both > 0, got " + trainSize + ", " + testSize);
    }
  }

  /** True when {@code option} was on the command line or came from a spark.rewind.* conf. */
  boolean given(String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option)
        || SparkConfDefaults.has(option);
  }

  /** With --input the data is Parquet: only --channels and --classes of the task options apply. */
  void rejectTaskOptions() {
    List<String> names = new java.util.ArrayList<>();
    for (var option : spec.mixins().get("task").options()) {
      names.add(option.longestName());
    }
    names.add("--train-size");
    names.add("--test-size");
    for (String name : names) {
      if (!name.equals("--channels") && !name.equals("--classes") && given(name)) {
        throw new IllegalArgumentException(
            name + ": expected no built-in task option with --input, got " + name);
      }
    }
  }
}
