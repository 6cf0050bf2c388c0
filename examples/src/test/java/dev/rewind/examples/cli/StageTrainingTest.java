package dev.rewind.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.examples.RewindCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageTrainingTest {
  private static final String[] TASK = {
    "train",
    "--steps",
    "30",
    "--delay",
    "5",
    "--cue-length",
    "5",
    "--recall-window",
    "5",
    "--channels",
    "10",
    "--epochs",
    "2",
    "--batch",
    "4",
    "--train-size",
    "16",
    "--test-size",
    "8",
    "--blocks",
    "2",
    "--width",
    "4",
    "--hidden",
    "8"
  };

  private static String[] with(String... extra) {
    String[] all = new String[TASK.length + extra.length];
    System.arraycopy(TASK, 0, all, 0, TASK.length);
    System.arraycopy(extra, 0, all, TASK.length, extra.length);
    return all;
  }

  @Test
  void trainsWithPetraAndReportsReconstructionAndMemory() {
    StringWriter out = new StringWriter();
    int code =
        RewindCli.commandLine()
            .setOut(new PrintWriter(out))
            .execute(with("--trainer", "petra", "--stages", "2", "--accumulate", "2"));
    assertEquals(0, code, out.toString());
    String text = out.toString();
    assertTrue(text.contains("petra on a reversible network"), text);
    assertTrue(text.contains("J=2 stages, k=2"), text);
    assertTrue(text.contains("epoch 2/2"), text);
    assertTrue(text.contains("stage 1: 1 blocks, peak activation"), text);
    assertTrue(text.contains("reconstruction error mean"), text);
  }

  @Test
  void petraRunsFAndGUnderAnOffchipSchedule(@TempDir Path dir) throws IOException {
    StringWriter out = new StringWriter();
    Path offchip = dir.resolve("offchip");
    int code =
        RewindCli.commandLine()
            .setOut(new PrintWriter(out))
            .execute(
                with(
                    "--trainer",
                    "petra",
                    "--stages",
                    "2",
                    "--schedule",
                    "remote:k=5",
                    "--offchip",
                    offchip.toString()));
    assertEquals(0, code, out.toString());
    String text = out.toString();
    assertTrue(text.contains("F/G backward under remote:k=5 within 512.0 MiB"), text);
    assertTrue(Pattern.compile("bytes \\(\\+ [1-9][0-9]* off-chip\\)").matcher(text).find(), text);
    if (Files.exists(offchip)) {
      try (Stream<Path> files = Files.walk(offchip)) {
        assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "files left");
      }
    }
  }

  @Test
  void alifLayersAndOtherLossHeadsAreRefusedByTheStageTrainersNamingTheOption() {
    assertRefused(
        "--neuron alif: --trainer petra",
        "--trainer",
        "petra",
        "--stages",
        "2",
        "--neuron",
        "alif");
    assertRefused("--loss last:3: --trainer backprop", "--trainer", "backprop", "--loss", "last:3");
  }

  private static void assertRefused(String message, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        RewindCli.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(with(args));
    assertEquals(2, code, out + "\n" + err);
    assertTrue(err.toString().contains(message), err.toString());
  }

  @Test
  void trainsWithBackprop() {
    StringWriter out = new StringWriter();
    int code =
        RewindCli.commandLine()
            .setOut(new PrintWriter(out))
            .execute(with("--trainer", "backprop", "--stages", "2"));
    assertEquals(0, code, out.toString());
    assertTrue(out.toString().contains("backprop on a reversible network"), out.toString());
  }

  @Test
  void rejectsAnUnknownTrainer() {
    StringWriter err = new StringWriter();
    int code = RewindCli.commandLine().setErr(new PrintWriter(err)).execute(with("--trainer", "x"));
    assertEquals(2, code);
    assertTrue(
        err.toString().contains("--trainer: expected petra or backprop, got 'x'"), err.toString());
  }

  @Test
  void rejectsMoreStagesThanBlocks() {
    StringWriter err = new StringWriter();
    int code =
        RewindCli.commandLine()
            .setErr(new PrintWriter(err))
            .execute(with("--trainer", "petra", "--stages", "3"));
    assertEquals(2, code);
    assertTrue(err.toString().contains("stages: expected at most"), err.toString());
  }
}
