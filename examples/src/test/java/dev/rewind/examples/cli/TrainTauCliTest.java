package dev.rewind.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.examples.RewindCli;
import dev.rewind.trainer.io.Npy;
import dev.rewind.trainer.model.LayerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rewind train --train-tau}: both engines train the time constants as parameters (q_l, p_l,
 * qo in the run's params/), and the stage trainers refuse them.
 */
class TrainTauCliTest {
  @TempDir Path dir;

  private static final String[] TASK = {
    "train",
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
    "--layers",
    "16,8",
    "--neuron",
    "alif,lif",
    "--train-size",
    "32",
    "--test-size",
    "16",
    "--batch",
    "16",
    "--epochs",
    "1",
    "--train-tau",
    "--train-readout-tau"
  };

  @Test
  void bothEnginesTrainEveryTimeConstant() throws Exception {
    for (String engine : new String[] {"jvm", "spark"}) {
      Path run = dir.resolve(engine);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code =
          RewindCli.commandLine()
              .setOut(new PrintWriter(out))
              .setErr(new PrintWriter(err))
              .execute(with("--engine", engine, "--out", run.toString()));
      assertEquals(0, code, engine + ": " + out + "\n" + err);
      String model = Files.readString(run.resolve("model.json"));
      assertTrue(model.contains("\"trainTau\":true") && model.contains("\"trainReadoutTau\":true"));
      for (String tensor : new String[] {"q1", "p1", "q2", "qo"}) {
        float[] q = Npy.readFloat(run.resolve("params").resolve(tensor + ".npy")).data();
        float initial =
            (float)
                LayerConfig.logit(
                    tensor.equals("p1") ? LayerConfig.betaOf(200) : LayerConfig.betaOf(20));
        boolean moved = false;
        for (float v : q) {
          moved |= v != initial;
        }
        assertTrue(moved, engine + ": " + tensor + " trained away from its initial logit");
      }
      assertTrue(Files.notExists(run.resolve("params/p2.npy")), "no p for a LIF layer");
    }
  }

  @Test
  void trainTauTakesOneValuePerLayerOnBothEngines() throws Exception {
    String[] args = java.util.Arrays.copyOf(TASK, TASK.length - 2);
    for (String engine : new String[] {"jvm", "spark"}) {
      Path run = dir.resolve("per-layer-" + engine);
      StringWriter err = new StringWriter();
      int code =
          RewindCli.commandLine()
              .setOut(new PrintWriter(new StringWriter()))
              .setErr(new PrintWriter(err))
              .execute(
                  with(
                      args,
                      "--train-tau",
                      "false,true",
                      "--engine",
                      engine,
                      "--out",
                      run.toString()));
      assertEquals(0, code, engine + ": " + err);
      assertTrue(
          Files.notExists(run.resolve("params/q1.npy")), engine + ": layer 1 keeps its leak");
      assertTrue(Files.exists(run.resolve("params/q2.npy")), engine + ": layer 2 trains its leaks");
      assertTrue(
          Files.notExists(run.resolve("params/qo.npy")), engine + ": the readout's is fixed");
    }
    StringWriter bad = new StringWriter();
    assertEquals(
        2,
        RewindCli.commandLine()
            .setErr(new PrintWriter(bad))
            .execute(with(args, "--train-tau", "true,true,true", "--engine", "jvm")));
    assertTrue(
        bad.toString().contains("--train-tau: expected one value or one per layer"),
        bad.toString());
  }

  @Test
  void theStageTrainersRefuseTrainableTimeConstants() {
    StringWriter err = new StringWriter();
    int code =
        RewindCli.commandLine()
            .setErr(new PrintWriter(err))
            .execute(
                "train", "--trainer", "petra", "--stages", "2", "--epochs", "1", "--train-tau");
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("--train-tau: --trainer petra"), err.toString());
  }

  private static String[] with(String... extra) {
    return with(TASK, extra);
  }

  private static String[] with(String[] base, String... extra) {
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }
}
