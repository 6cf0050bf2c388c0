package dev.rewind.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.examples.RewindCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
  @TempDir Path dir;

  @Test
  void trainsAndWritesARunFolder() throws IOException {
    StringWriter out = new StringWriter();
    int code =
        RewindCli.commandLine()
            .setOut(new PrintWriter(out))
            .execute(
                "train",
                "--engine",
                "jvm",
                "--steps",
                "100",
                "--delay",
                "30",
                "--cue-length",
                "20",
                "--recall-window",
                "20",
                "--layers",
                "24",
                "--epochs",
                "2",
                "--batch",
                "4",
                "--train-size",
                "8",
                "--test-size",
                "4",
                "--out",
                dir.resolve("run").toString());
    assertEquals(0, code, out.toString());
    assertTrue(out.toString().contains("epoch 2/2"), out.toString());
    for (String f :
        new String[] {"model.json", "metrics.jsonl", "loss.png", "index.html", "params/Wo.npy"}) {
      assertTrue(Files.exists(dir.resolve("run").resolve(f)), f);
    }
    assertEquals(2, Files.readAllLines(dir.resolve("run/metrics.jsonl")).size());
    // 8 sequences in batches of 4 for 2 epochs: one line per step, as a Spark run writes them.
    List<String> steps = Files.readAllLines(dir.resolve("run/steps.jsonl"));
    assertEquals(4, steps.size(), String.join("\n", steps));
    assertTrue(steps.get(3).startsWith("{\"epoch\":1,\"step\":1,\"globalStep\":4,"), steps.get(3));
    String index = Files.readString(dir.resolve("run/index.html"));
    assertTrue(index.contains("long-memory task: T=100"), index);
    assertTrue(index.contains("<td>2</td>"), index);
  }

  @Test
  void everyScheduleTrainsToTheSameParametersBitForBit() throws IOException {
    String[] schedules = {"store-all", "remote:k=25", "double:K=40,k=10", "revolve:slots=3"};
    byte[][] weights = new byte[schedules.length][];
    for (int i = 0; i < schedules.length; i++) {
      Path run = dir.resolve("run" + i);
      StringWriter out = new StringWriter();
      int code =
          RewindCli.commandLine()
              .setOut(new PrintWriter(out))
              .execute(
                  "train",
                  "--engine",
                  "jvm",
                  "--steps",
                  "100",
                  "--delay",
                  "30",
                  "--cue-length",
                  "20",
                  "--recall-window",
                  "20",
                  "--layers",
                  "24,16",
                  "--epochs",
                  "2",
                  "--batch",
                  "4",
                  "--train-size",
                  "8",
                  "--test-size",
                  "4",
                  "--schedule",
                  schedules[i],
                  "--offchip",
                  dir.resolve("offchip" + i).toString(),
                  "--out",
                  run.toString());
      assertEquals(0, code, out.toString());
      assertTrue(out.toString().contains("schedule "), out.toString());
      weights[i] = Files.readAllBytes(run.resolve("params/R1.npy"));
    }
    for (int i = 1; i < schedules.length; i++) {
      assertArrayEquals(weights[0], weights[i], schedules[i] + " vs store-all");
    }
  }

  @Test
  void badModelOptionsAreNamed() {
    for (String[] bad :
        new String[][] {{"--init-scale", "40,1"}, {"--tau", "0"}, {"--surrogate", "step"}}) {
      StringWriter err = new StringWriter();
      int code =
          RewindCli.commandLine()
              .setErr(new PrintWriter(err))
              .execute(
                  "train", "--engine", "jvm", "--steps", "200", "--delay", "50", bad[0], bad[1]);
      assertEquals(2, code, err.toString());
      assertTrue(err.toString().contains(bad[0] + ": expected"), err.toString());
    }
  }

  @Test
  void unknownScheduleIsNamed() {
    StringWriter err = new StringWriter();
    int code =
        RewindCli.commandLine()
            .setErr(new PrintWriter(err))
            .execute("train", "--engine", "jvm", "--steps", "200", "--schedule", "sometimes");
    assertEquals(2, code);
    assertTrue(err.toString().contains("sometimes"), err.toString());
  }

  @Test
  void refusesANonEmptyOutputFolderBeforeTraining() throws IOException {
    Files.createDirectories(dir.resolve("run"));
    Files.writeString(dir.resolve("run/keep.txt"), "mine");
    StringWriter err = new StringWriter();
    int code =
        RewindCli.commandLine()
            .setErr(new PrintWriter(err))
            .execute(
                "train",
                "--engine",
                "jvm",
                "--steps",
                "100",
                "--out",
                dir.resolve("run").toString());
    assertEquals(2, code);
    assertTrue(err.toString().contains("non-empty"), err.toString());
    assertEquals("mine", Files.readString(dir.resolve("run/keep.txt")));
  }

  @Test
  void badOptionsNameTheOption() {
    StringWriter err = new StringWriter();
    int code =
        RewindCli.commandLine()
            .setErr(new PrintWriter(err))
            .execute("train", "--engine", "jvm", "--layers", "16,16", "--recurrent", "true");
    assertEquals(2, code);
    assertTrue(
        err.toString().contains("--recurrent: expected one value per layer"), err.toString());
  }
}
