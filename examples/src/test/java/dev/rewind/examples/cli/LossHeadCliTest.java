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
 * {@code rewind train --loss}: the per-step and regression heads on the JVM engine, and where they
 * are refused.
 */
class LossHeadCliTest {
  @TempDir Path dir;

  private static final String[] TASK = {
    "train",
    "--task",
    "long-memory",
    "--steps",
    "120",
    "--delay",
    "40",
    "--cue-length",
    "20",
    "--recall-window",
    "30",
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
  };

  @Test
  void thePerStepHeadTrainsOnTheJvmEngineUnderACheckpointSchedule() throws Exception {
    String out = trainOnTheJvm("per-step");
    assertTrue(out.contains("a label at every recall step"), out);
    assertTrue(Files.readString(dir.resolve("run/model.json")).contains("\"loss\":\"per-step\""));
    // The Spark commands refuse its run folder, naming it and its head.
    assertRefused(
        "--model: expected a model of one label per sequence (loss mean or last:K), got file:"
            + dir.resolve("run")
            + " trained with loss per-step",
        new String[] {"evaluate", "--model", dir.resolve("run").toString()});
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
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        RewindCli.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(
                with(
                    "--engine",
                    "jvm",
                    "--loss",
                    head,
                    "--memory-budget",
                    "100k",
                    "--out",
                    dir.resolve("run").toString()));
    assertEquals(0, code, out + "\n" + err);
    assertTrue(out.toString().contains("recomputed"), out.toString());
    return out.toString();
  }

  @Test
  void thePerStepHeadsAreRefusedOnSparkAndForTasksWithoutStepLabels() {
    assertRefused("--loss per-step: expected --engine jvm", with("--loss", "per-step"));
    assertRefused("--loss regression: expected --engine jvm", with("--loss", "regression"));
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
    String[] all = new String[TASK.length + extra.length];
    System.arraycopy(TASK, 0, all, 0, TASK.length);
    System.arraycopy(extra, 0, all, TASK.length, extra.length);
    return all;
  }
}
