package dev.rewind.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.examples.RewindCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rewind train --loss}: the per-step and regression heads on both engines, the Spark
 * commands on their run folders, and where the heads are refused.
 */
class LossHeadCliTest {
  @TempDir Path dir;

  /** The long-memory task's shape, which train, convert and evaluate must agree on. */
  private static final String[] SHAPE = {
    "--task",
    "long-memory",
    "--steps",
    "120",
    "--delay",
    "40",
    "--cue-length",
    "20",
    "--recall-window",
    "30"
  };

  private static final String[] TASK =
      concat(
          new String[] {"train"},
          SHAPE,
          new String[] {
            "--layers",
            "16",
            "--train-size",
            "32",
            "--test-size",
            "16",
            "--batch",
            "16",
            "--epochs",
            "1"
          });

  @Test
  void thePerStepHeadTrainsOnTheJvmEngineUnderACheckpointSchedule() throws Exception {
    String out = trainOnTheJvm("per-step");
    assertTrue(out.contains("a label at every recall step"), out);
    assertTrue(Files.readString(dir.resolve("run/model.json")).contains("\"loss\":\"per-step\""));
    // evaluate scores the run folder's model on the labelled steps of the built-in test set.
    String scores = evaluate();
    assertTrue(
        scores.matches(
            "(?s).*a label at every recall step: 16 sequences, loss [0-9.]+, accuracy [0-9.]+%.*"),
        scores);
  }

  @Test
  void thePerStepHeadTrainsOnSparkAndItsRunFolderEvaluates() throws Exception {
    String out = run(with("--engine", "spark", "--loss", "per-step", "--out", run()));
    assertTrue(out.contains("a label at every recall step"), out);
    assertTrue(out.matches("(?s).*epoch 1/1  train loss [0-9.]+ acc +[0-9.]+%  \\|.*"), out);
    assertTrue(Files.isDirectory(dir.resolve("run/spark-model")));
    String scores = evaluate();
    assertTrue(scores.contains("16 sequences, loss "), scores);
  }

  @Test
  void theRegressionHeadTrainsOnSparkAndItsLinesCarryNoAccuracy() throws Exception {
    String out = run(with("--engine", "spark", "--loss", "regression", "--out", run()));
    assertTrue(out.contains("a one-hot target at every recall step"), out);
    assertTrue(
        out.matches("(?s).*epoch 1/1  train loss [0-9.]+  \\|  test loss [0-9.]+  \\|.*"), out);
    assertTrue(Files.notExists(dir.resolve("run/accuracy.png")), "no accuracy plot for regression");
  }

  @Test
  void perStepParquetFromConvertTrainsOnSparkAndPredictsEveryStep() throws Exception {
    String data = dir.resolve("data").toString();
    String convert =
        run(
            concat(
                new String[] {"convert"},
                SHAPE,
                new String[] {
                  "--train-size", "32", "--test-size", "16", "--step-labels", "--out", data
                }));
    assertTrue(convert.contains("a label at every recall step"), convert);
    String out =
        run(
            new String[] {
              "train",
              "--input",
              data + "/train",
              "--test-input",
              data + "/test",
              "--loss",
              "per-step",
              "--layers",
              "16",
              "--batch",
              "16",
              "--epochs",
              "1",
              "--out",
              run()
            });
    assertTrue(out.matches("(?s).*epoch 1/1  train loss [0-9.]+ acc +[0-9.]+%  \\|.*"), out);
    String predictions = dir.resolve("predictions").toString();
    run(
        new String[] {
          "predict", "--model", run(), "--input", data + "/test", "--out", predictions
        });
    org.apache.spark.sql.SparkSession spark =
        org.apache.spark.sql.SparkSession.builder().master("local[1]").getOrCreate();
    try {
      var rows = spark.read().parquet(predictions);
      assertEquals(16, rows.count());
      assertEquals(
          "array<int>", rows.schema().apply("prediction").dataType().simpleString(), "per step");
      assertEquals(120, rows.first().getList(rows.first().fieldIndex("prediction")).size());
    } finally {
      spark.stop();
    }
  }

  private String run() {
    return dir.resolve("run").toString();
  }

  /** {@code rewind evaluate} of the run folder on the task's test set, its output. */
  private String evaluate() {
    return run(
        concat(
            new String[] {"evaluate", "--model", run()},
            SHAPE,
            new String[] {"--test-size", "16", "--batch", "16"}));
  }

  private static String run(String[] args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        RewindCli.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    assertEquals(0, code, out + "\n" + err);
    return out.toString();
  }

  @Test
  void theRegressionHeadTrainsOnTheJvmEngineAndItsLinesCarryNoAccuracy() throws Exception {
    String out = trainOnTheJvm("regression");
    assertTrue(out.contains("a one-hot target at every recall step"), out);
    assertTrue(
        out.matches("(?s).*epoch 1/1  train loss [0-9.]+  \\|  test loss [0-9.]+  \\|.*"), out);
    assertTrue(Files.readString(dir.resolve("run/model.json")).contains("\"loss\":\"regression\""));
    assertTrue(Files.exists(dir.resolve("run/loss.png")));
    assertTrue(Files.notExists(dir.resolve("run/accuracy.png")), "no accuracy plot for regression");
    assertFalse(Files.readString(dir.resolve("run/index.html")).contains("acc"));
  }

  /** The task under loss {@code head} on the JVM engine with a budget that makes it recompute. */
  private String trainOnTheJvm(String head) {
    String out =
        run(with("--engine", "jvm", "--loss", head, "--memory-budget", "100k", "--out", run()));
    assertTrue(out.contains("recomputed"), out);
    return out;
  }

  @Test
  void thePerStepHeadsAreRefusedForTasksWithoutStepLabels() {
    assertRefused(
        "per-step labels or targets (--loss per-step|regression, --step-labels, --step-targets):"
            + " expected --task long-memory",
        new String[] {
          "train", "--task", "randman", "--engine", "jvm", "--loss", "per-step", "--epochs", "1"
        });
    assertRefused("--loss: loss: expected mean, last:K", with("--loss", "last"));
  }

  private static void assertRefused(String message, String[] args) {
    StringWriter err = new StringWriter();
    int code = RewindCli.commandLine().setErr(new PrintWriter(err)).execute(args);
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains(message), err.toString());
  }

  private static String[] with(String... extra) {
    return concat(TASK, extra);
  }

  private static String[] concat(String[]... parts) {
    return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
  }
}
