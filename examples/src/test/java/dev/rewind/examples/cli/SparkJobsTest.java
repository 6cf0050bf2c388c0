package dev.rewind.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.examples.RewindCli;
import dev.rewind.examples.datasets.TestIdx;
import dev.rewind.examples.spark.SequenceRows;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark engine end to end on an embedded master: train on a built-in task, convert it to
 * Parquet, train from the Parquet, evaluate and predict with the saved model, and the errors that
 * must come before any job.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SparkJobsTest {
  private static final List<String> TASK =
      List.of(
          "--steps",
          "60",
          "--delay",
          "20",
          "--cue-length",
          "10",
          "--recall-window",
          "10",
          "--channels",
          "8",
          "--batch",
          "8",
          "--test-size",
          "8");
  private static final List<String> SIZE = List.of("--train-size", "16");
  private static final List<String> MODEL =
      List.of("--layers", "12", "--epochs", "2", "--schedule", "store-all");

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @AfterEach
  void clearConfs() {
    System.clearProperty("spark.rewind.epochs");
    System.clearProperty("spark.rewind.bogus");
  }

  private int run(List<String> args) {
    return RewindCli.commandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args.toArray(String[]::new));
  }

  private static List<String> args(String command, List<String> first, String... rest) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(first);
    all.addAll(List.of(rest));
    return all;
  }

  @Test
  void aKilledRunResumesWhenTheSameCommandRunsAgain() throws Exception {
    List<String> options = new ArrayList<>(TASK);
    options.addAll(SIZE);
    options.addAll(List.of("--layers", "12", "--epochs", "6", "--schedule", "store-all"));
    Path whole = dir.resolve("whole");
    assertEquals(0, run(args("train", options, "--out", whole.toString())), out + "\n" + err);

    // The same command in a child JVM, killed (SIGKILL) once it has saved a training state.
    Path stopped = dir.resolve("stopped");
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    List<String> command =
        childCommand(
            List.of("-Djava.io.tmpdir=" + tmp),
            args("train", options, "--out", stopped.toString()));
    Process child =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    Path state = stopped.resolve(RunFolder.STATE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!hasState(state) && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(
        child.isAlive(),
        "the child was still training: " + Files.readString(dir.resolve("child.log")));
    child.destroyForcibly().waitFor();
    assertTrue(hasState(state));
    assertFalse(Files.exists(stopped.resolve("model.json")), "no result of the killed run");
    assertEquals(1, scratchFolders(tmp), "the killed run's scratch space (its local dirs)");

    // The same command again, in a second child with the same temporary directory.
    Process rerun =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("rerun.log").toFile())
            .start();
    assertTrue(rerun.waitFor(180, TimeUnit.SECONDS));
    String log = Files.readString(dir.resolve("rerun.log"));
    assertEquals(0, rerun.exitValue(), log);
    assertTrue(log.contains("resuming from "), log);
    assertFalse(Files.exists(state), "the state goes when the run completes");
    assertEquals(0, scratchFolders(tmp), "the rerun swept the killed run's scratch and its own");
    for (String tensor : List.of("W1.npy", "R1.npy", "Wo.npy", "bo.npy")) {
      assertEquals(
          -1L,
          Files.mismatch(
              whole.resolve("params").resolve(tensor), stopped.resolve("params").resolve(tensor)),
          tensor + " of the resumed run vs the uninterrupted one");
    }
    assertEquals(
        Files.readAllLines(whole.resolve("metrics.csv")).size(),
        Files.readAllLines(stopped.resolve("metrics.csv")).size(),
        "every epoch in the resumed run's metrics");
    try (var left = Files.list(dir)) {
      assertEquals(
          List.of("child.log", "rerun.log", "stopped", "tmp", "whole"),
          left.map(p -> p.getFileName().toString()).sorted().toList(),
          "nothing else beside the run folders");
    }
  }

  /** A command line that runs the CLI in a child JVM with this JVM's flags and class path. */
  private static List<String> childCommand(List<String> properties, List<String> cliArgs) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (flag.startsWith("--add-opens") || flag.startsWith("-XX:") || flag.startsWith("-Djdk")) {
        command.add(flag);
      }
    }
    command.addAll(properties);
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(RewindCli.class.getName());
    command.addAll(cliArgs);
    return command;
  }

  @Test
  void underAClusterMasterTheCommandStopsItsSessionSoExecutorsLeaveCleanly() throws Exception {
    // A worker of local-cluster launches executors from SPARK_HOME; they need only our class path.
    Path sparkHome = Files.createDirectories(dir.resolve("spark-home").resolve("jars")).getParent();
    List<String> options = new ArrayList<>(TASK);
    options.addAll(SIZE);
    options.addAll(List.of("--layers", "12", "--epochs", "1", "--schedule", "store-all"));
    List<String> command =
        childCommand(
            List.of(
                "-Dspark.master=local-cluster[1,1,1024]",
                "-Dspark.executor.extraClassPath=" + System.getProperty("java.class.path"),
                "-Dspark.ui.enabled=false"),
            args("train", options, "--out", dir.resolve("run").toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("cluster.log").toFile());
    builder.environment().put("SPARK_HOME", sparkHome.toString());
    builder.environment().put("SPARK_SCALA_VERSION", "2.12");
    Process child = builder.start();
    assertTrue(child.waitFor(180, TimeUnit.SECONDS));
    String log = Files.readString(dir.resolve("cluster.log"));
    assertEquals(0, child.exitValue(), log);
    assertTrue(log.contains("wrote " + dir.resolve("run")), log);
    // A session left running is torn down at JVM exit: its executors die and ERROR lines follow.
    assertFalse(log.contains(" ERROR "), log);
  }

  private static long scratchFolders(Path tmp) throws IOException {
    try (var dirs = Files.list(tmp)) {
      return dirs.filter(d -> d.getFileName().toString().startsWith("rewind-spark-")).count();
    }
  }

  private static boolean hasState(Path state) throws IOException {
    if (!Files.isDirectory(state)) {
      return false;
    }
    try (var files = Files.list(state)) {
      return files.anyMatch(f -> f.getFileName().toString().matches("state-\\d+\\.bin"));
    }
  }

  @Test
  void segmentParallelTrainingReportsTheScheduleOfOneSegment() throws IOException {
    Path run = dir.resolve("segments");
    List<String> a = args("train", TASK, "--out", run.toString());
    a.addAll(SIZE);
    a.addAll(MODEL);
    a.addAll(List.of("--parallel", "segments:2"));
    assertEquals(0, run(a), out + "\n" + err);
    // local[*] is one executor JVM: it keeps both segments of both micro-batches (of 4).
    assertTrue(
        out.toString()
            .contains(
                "segments:2: 2 micro-batches a step; each segment's schedule within 1/4 of the"
                    + " memory budget"),
        out.toString());
    Map<String, String> used = ScheduleReportTest.keyValues(run.resolve("schedule-used.csv"));
    assertEquals("store-all", used.get("schedule"), used.toString());
    assertEquals("30", used.get("sequence_steps"), "a segment of the 60-step sequences");
    assertTrue(used.get("scope").contains("per task run of 4 sequences"), used.get("scope"));
    assertEquals(0, Double.parseDouble(used.get("recomputed_steps_per_sequence_step")));
  }

  @Test
  void trainsOnSparkAndWritesTheRunFolderWithTheSparkModel() throws IOException {
    Path run = dir.resolve("run");
    List<String> a = args("train", TASK, "--out", run.toString());
    a.addAll(SIZE);
    // Checkpoints off-chip in a folder of ours, which outlives the run (its files do not).
    a.addAll(
        List.of(
            "--layers",
            "12",
            "--epochs",
            "2",
            "--schedule",
            "remote:k=20",
            "--offchip",
            dir.resolve("offchip").toString()));
    assertEquals(0, run(a), out + "\n" + err);
    assertTrue(out.toString().contains("master local[*]"), out.toString());
    assertTrue(out.toString().contains("epoch 2/2"), out.toString());
    for (String f :
        List.of(
            "model.json",
            "params/Wo.npy",
            "metrics.jsonl",
            "steps.jsonl",
            "loss.png",
            "accuracy.png",
            "index.html",
            "spark-model/metadata",
            "spark-model/data/model.bin")) {
      assertTrue(Files.exists(run.resolve(f)), f);
    }
    List<String> epochs = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertEquals(2, epochs.size());
    JsonNode last = new ObjectMapper().readTree(epochs.get(1));
    assertEquals(2, last.get("epoch").asInt());
    double acc = last.get("testAccuracy").asDouble();
    assertTrue(acc >= 0 && acc <= 1, epochs.get(1));
    // 16 sequences in batches of 8: two steps per epoch.
    List<String> steps = Files.readAllLines(run.resolve("steps.jsonl"));
    assertEquals(4, steps.size());
    for (String step : steps) {
      assertTrue(new ObjectMapper().readTree(step).get("offChipBytesWritten").asLong() > 0, step);
    }
    try (var left = Files.list(dir.resolve("offchip"))) {
      assertEquals(0, left.count(), "off-chip files removed");
    }

    // The schedule report, per task run (a batch of 8 over 2 tasks: 4 sequences), marks the
    // schedule the tasks ran; its measured recomputation is what the simulator predicts for it.
    List<List<String>> schedules = ScheduleReportTest.parseCsv(run.resolve("schedules.csv"));
    assertEquals("predicted_seconds_per_task_run_of_4_sequences", schedules.get(0).get(2));
    assertEquals("chosen", schedules.get(0).get(7));
    List<List<String>> chosen = schedules.stream().filter(r -> r.get(7).equals("true")).toList();
    assertEquals(1, chosen.size(), schedules.toString());
    assertEquals("remote(k=20)", chosen.get(0).get(1));
    Map<String, String> used = ScheduleReportTest.keyValues(run.resolve("schedule-used.csv"));
    assertEquals("remote(k=20)", used.get("schedule"), used.toString());
    assertEquals("60", used.get("sequence_steps"));
    assertEquals("4", used.get("training_steps"));
    assertEquals("32", used.get("sequences"));
    assertTrue(used.get("scope").contains("per task run of 4 sequences"), used.get("scope"));
    assertTrue(
        Double.parseDouble(used.get("predicted_seconds_per_task_run_of_4_sequences")) > 0,
        used.toString());
    assertTrue(
        Double.parseDouble(used.get("offchip_bytes_written_per_sequence")) > 0, used.toString());
    assertEquals(
        Long.parseLong(chosen.get(0).get(5)) / 60.0,
        Double.parseDouble(used.get("recomputed_steps_per_sequence_step")),
        1e-6,
        used.toString());
    double perStep = Long.parseLong(chosen.get(0).get(5)) / 60.0;
    assertEquals(
        perStep / (1 + perStep),
        Double.parseDouble(used.get("recomputed_share_of_forward_steps")),
        1e-6,
        used.toString());
    String console =
        String.format(
            java.util.Locale.ROOT,
            "recomputed %.1f%% of forward steps",
            100 * perStep / (1 + perStep));
    assertTrue(out.toString().contains(console), console + " in " + out);
    // Tasks report their peak of tapes and checkpoints.
    assertTrue(Long.parseLong(used.get("peak_schedule_bytes")) > 0, used.toString());
    assertFalse(used.containsValue("n/a"), used.toString());
    assertEquals(2 * 640, ImageIO.read(run.resolve("schedules.png").toFile()).getWidth());
    String index = Files.readString(run.resolve("index.html"));
    assertTrue(index.contains("<img src=\"schedules.png\""), index);
    assertTrue(index.contains("schedules.csv"), index);
    assertTrue(index.contains("predicted s/task run of 4 sequences"), index);

    // The saved model scores the same built-in test set as the last epoch did.
    assertEquals(0, run(args("evaluate", TASK, "--model", run.toString())), err.toString());
    JsonNode scored = new ObjectMapper().readTree(run.resolve("evaluation.json").toFile());
    assertEquals(8, scored.get("sequences").asLong());
    assertEquals(acc, scored.get("accuracy").asDouble(), 1e-9);
    assertEquals(last.get("testLoss").asDouble(), scored.get("loss").asDouble(), 1e-6);
  }

  @Test
  void convertsThenTrainsEvaluatesAndPredictsFromParquet() throws IOException {
    Path data = dir.resolve("data");
    List<String> convert = args("convert", TASK, "--out", data.toString());
    convert.addAll(SIZE);
    assertEquals(0, run(convert), err.toString());
    assertTrue(Files.exists(data.resolve("train/_SUCCESS")));
    assertTrue(Files.exists(data.resolve("test/_SUCCESS")));
    try (var siblings = Files.list(dir)) {
      assertEquals(List.of(data), siblings.toList(), "no staging folder left behind");
    }

    Path run = dir.resolve("run");
    List<String> train =
        new ArrayList<>(
            List.of(
                "train",
                "--input",
                data.resolve("train").toString(),
                "--test-input",
                data.resolve("test").toString(),
                "--batch",
                "8",
                "--out",
                run.toString()));
    train.addAll(MODEL);
    assertEquals(0, run(train), out + "\n" + err);
    assertTrue(out.toString().contains("(events): 16 train / 8 test sequences"), out.toString());

    Path scores = dir.resolve("scores.json");
    assertEquals(
        0,
        run(
            List.of(
                "evaluate",
                "--model",
                run.toString(),
                "--input",
                data.resolve("test").toString(),
                "--out",
                scores.toString())),
        err.toString());
    assertEquals(8, new ObjectMapper().readTree(scores.toFile()).get("sequences").asLong());

    Path predictions = dir.resolve("predictions");
    assertEquals(
        0,
        run(
            List.of(
                "predict",
                "--model",
                run.toString(),
                "--input",
                data.resolve("test").toString(),
                "--out",
                predictions.toString())),
        err.toString());
    SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
    try {
      var rows = spark.read().parquet(predictions.toString());
      assertEquals(
          List.of("seq_id", "label", "prediction", "probability"),
          List.of(rows.schema().fieldNames()));
      List<Row> all = rows.collectAsList();
      assertEquals(8, all.size());
      for (Row r : all) {
        List<Double> p = r.getList(3);
        assertEquals(2, p.size());
        assertEquals(1.0, p.get(0) + p.get(1), 1e-9);
      }
      spark
          .read()
          .parquet(data.resolve("test").toString())
          .withColumn(
              "event_channels",
              org.apache.spark.sql.functions.expr("transform(event_channels, c -> c + 1000)"))
          .write()
          .parquet(dir.resolve("bad").toString());
    } finally {
      spark.stop();
    }
    // A prediction job that fails in its tasks leaves neither output nor staging folder.
    Path failed = dir.resolve("failed-predictions");
    err.getBuffer().setLength(0);
    assertEquals(
        2,
        run(
            List.of(
                "predict",
                "--model",
                run.toString(),
                "--input",
                dir.resolve("bad").toString(),
                "--out",
                failed.toString())));
    // The task's own message, not Spark's wrapping of it.
    assertTrue(err.toString().startsWith("rewind: sequence "), err.toString());
    assertTrue(err.toString().contains("expected channel in [0, 8)"), err.toString());
    // Training on the same rows fails before any training job, one line naming the row.
    err.getBuffer().setLength(0);
    List<String> bad =
        new ArrayList<>(
            List.of(
                "train",
                "--input",
                dir.resolve("bad").toString(),
                "--test-input",
                data.resolve("test").toString(),
                "--batch",
                "8",
                "--channels",
                "8",
                "--classes",
                "2"));
    bad.addAll(MODEL);
    assertEquals(2, run(bad), err.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
    assertTrue(
        err.toString()
            .matches(
                "(?s)rewind: training rows: a row of file:.*/bad/part-.*column 'event_channels', event"
                    + " \\d+: expected a channel in \\[0, 8\\), got 10\\d\\d.*"),
        err.toString());
    try (var siblings = Files.list(dir)) {
      assertEquals(
          List.of("bad", "data", "predictions", "run", "scores.json"),
          siblings.map(f -> f.getFileName().toString()).sorted().toList(),
          "no staging folder left behind");
    }
  }

  @Test
  void aMistypedColumnIsNamedBeforeAnyJob() throws IOException {
    SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
    Path bad = dir.resolve("bad");
    try {
      spark
          .sql("SELECT array(array(cast(1 as float))) AS frames, 'cat' AS label FROM range(2)")
          .write()
          .parquet(bad.toString());
    } finally {
      spark.stop();
    }
    assertEquals(
        2, run(List.of("train", "--input", bad.toString(), "--channels", "1", "--classes", "2")));
    assertTrue(
        err.toString().contains("column 'label': expected type int, got string"), err.toString());
  }

  @Test
  void sparkRewindConfsSetOptionsAndTheCommandLineWins() throws IOException {
    System.setProperty("spark.rewind.epochs", "1");
    Path one = dir.resolve("one");
    List<String> a = args("train", TASK, "--layers", "12", "--schedule", "store-all");
    a.addAll(SIZE);
    a.addAll(List.of("--out", one.toString()));
    assertEquals(0, run(a), err.toString());
    assertEquals(1, Files.readAllLines(one.resolve("metrics.jsonl")).size());

    System.setProperty("spark.rewind.bogus", "1");
    assertEquals(2, run(List.of("train", "--help")));
    assertTrue(err.toString().contains("spark.rewind.bogus: expected"), err.toString());
  }

  /** Every model and training option, given to both engines. */
  private static final List<String> EVERY_OPTION =
      List.of(
          "--layers",
          "8,6",
          "--recurrent",
          "false,true",
          "--tau",
          "30,12",
          "--threshold",
          "0.9",
          "--readout-tau",
          "15",
          "--surrogate",
          "triangle",
          "--init-scale",
          "50,2,1.5",
          "--optimizer",
          "sgd",
          "--lr",
          "0.05",
          "--momentum",
          "0.5",
          "--clip",
          "2.5",
          "--cosine",
          "1",
          "--truncate",
          "7",
          "--epochs",
          "2",
          "--seed",
          "5",
          "--schedule",
          "periodic:k=9",
          "--memory-budget",
          "64m");

  @Test
  void bothEnginesTakeEveryOptionAndLoadEachOthersModels() throws IOException {
    Path spark = dir.resolve("spark");
    Path jvm = dir.resolve("jvm");
    for (Path run : List.of(spark, jvm)) {
      List<String> a = args("train", TASK);
      a.addAll(SIZE);
      a.addAll(EVERY_OPTION);
      a.addAll(List.of("--out", run.toString()));
      if (run == jvm) {
        a.addAll(List.of("--engine", "jvm"));
      }
      assertEquals(0, run(a), out + "\n" + err);
    }
    RunSetup fromSpark = RunSetup.read(spark);
    RunSetup fromJvm = RunSetup.read(jvm);
    assertEquals(fromJvm, fromSpark, "both engines read the options into the same settings");
    assertEquals(7, fromSpark.training().truncation());
    assertEquals(
        List.of(false, true),
        fromSpark.model().network().layers().stream()
            .map(dev.rewind.trainer.model.LayerConfig::recurrent)
            .toList());
    // The Spark model's Params say the same.
    SparkSession session = SparkSession.builder().master("local[1]").getOrCreate();
    try {
      var saved =
          dev.rewind.spark.ml.SpikingSequenceClassificationModel.load(
              spark.resolve("spark-model").toString());
      assertEquals(fromSpark.model(), saved.modelSetup());
      assertEquals(fromSpark.training(), saved.trainingConfig());
    } finally {
      session.stop();
    }
    // A JVM run folder is a model for the Spark commands ...
    Path scores = dir.resolve("jvm-scores.json");
    List<String> evaluate = args("evaluate", TASK, "--model", jvm.toString());
    evaluate.addAll(List.of("--seed", "5", "--out", scores.toString()));
    assertEquals(0, run(evaluate), err.toString());
    JsonNode lastJvmEpoch =
        new ObjectMapper().readTree(Files.readAllLines(jvm.resolve("metrics.jsonl")).get(1));
    assertEquals(
        lastJvmEpoch.get("testAccuracy").asDouble(),
        new ObjectMapper().readTree(scores.toFile()).get("accuracy").asDouble(),
        1e-9,
        "evaluate on the JVM run's model gives the JVM loop's test accuracy");
    // ... and a Spark run folder's model.json and params/ are what `grad` (one JVM) reads.
    Path batch = dir.resolve("batch");
    assertEquals(
        0,
        run(
            List.of(
                "data",
                "--task",
                "long-memory",
                "--steps",
                "60",
                "--delay",
                "20",
                "--cue-length",
                "10",
                "--recall-window",
                "10",
                "--channels",
                "8",
                "--batch",
                "4",
                "--out",
                batch.toString())),
        err.toString());
    assertEquals(
        0,
        run(
            List.of(
                "grad",
                "--config",
                spark.resolve("model.json").toString(),
                "--params",
                spark.resolve("params").toString(),
                "--inputs",
                batch.resolve("inputs.npy").toString(),
                "--labels",
                batch.resolve("labels.npy").toString(),
                "--out",
                dir.resolve("grad").toString())),
        err.toString());
  }

  @Test
  void taskBatchIsCheckedAndRefusedOnOneJvm() {
    assertEquals(2, run(List.of("train", "--task-batch", "-1")));
    assertTrue(
        err.toString().contains("--task-batch: expected >= 0 (0 = as many as fit), got -1"),
        err.toString());
    assertEquals(2, run(List.of("train", "--engine", "jvm", "--task-batch", "4")));
    assertTrue(
        err.toString().contains("--task-batch: expected only on the Spark engine, got 4"),
        err.toString());
  }

  @Test
  void stepsPerJobIsCheckedAndRefusedOnOneJvm() {
    assertEquals(2, run(List.of("train", "--steps-per-job", "-1")));
    assertTrue(
        err.toString()
            .contains("--steps-per-job: expected >= 0 (0 = every step of an epoch), got -1"),
        err.toString());
    assertEquals(2, run(List.of("train", "--engine", "jvm", "--steps-per-job", "2")));
    assertTrue(
        err.toString().contains("--steps-per-job: expected only on the Spark engine, got 2"),
        err.toString());
  }

  @Test
  void denseDataConvertsToFramesAndTrains() throws IOException {
    String fm = TestIdx.fakeFashionMnist(dir.resolve("fmnist"), 20, 10, 28, 28, true).toString();
    List<String> task =
        List.of(
            "--task",
            "fmnist-seq",
            "--fmnist-dir",
            fm,
            "--pixels-per-step",
            "28",
            "--batch",
            "10",
            "--train-size",
            "20",
            "--test-size",
            "10");
    Path data = dir.resolve("data");
    assertEquals(0, run(args("convert", task, "--out", data.toString())), err.toString());
    assertTrue(out.toString().contains("(dense)"), out.toString());
    SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
    try {
      var schema = spark.read().parquet(data.resolve("train").toString()).schema();
      var frames = schema.apply("frames");
      assertEquals("array<array<float>>", frames.dataType().simpleString());
      assertEquals(28, frames.metadata().getLong(SequenceRows.CHANNELS));
      assertEquals(10, schema.apply("label").metadata().getLong(SequenceRows.CLASSES));
    } finally {
      spark.stop();
    }
    List<String> train =
        List.of(
            "train",
            "--input",
            data.resolve("train").toString(),
            "--batch",
            "10",
            "--layers",
            "8",
            "--epochs",
            "1",
            "--schedule",
            "store-all");
    assertEquals(0, run(train), out + "\n" + err);
    assertTrue(
        out.toString().contains("Parquet " + data.resolve("train") + " (dense): "), out.toString());
    assertTrue(out.toString().contains("test split off with seed 42"), out.toString());
  }
}
