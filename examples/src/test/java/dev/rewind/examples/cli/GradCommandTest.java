package dev.rewind.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.examples.RewindCli;
import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.io.BatchFiles;
import dev.rewind.trainer.io.FloatTensor;
import dev.rewind.trainer.io.IntTensor;
import dev.rewind.trainer.io.Npy;
import dev.rewind.trainer.io.ParameterFiles;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.LossSpec;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.Surrogate;
import dev.rewind.trainer.training.GradientFunction;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradCommandTest {
  @TempDir Path dir;
  private ModelConfig model;

  @BeforeEach
  void writeModelAndBatch() throws IOException {
    model =
        new ModelConfig(
            40,
            List.of(new LayerConfig(32, true), new LayerConfig(24, false)),
            2,
            new Surrogate.Triangle(0.5));
    Files.writeString(dir.resolve("model.json"), model.toJson());
    initialise(dir.resolve("params"));
    writeBatch(dir.resolve("batch"));
  }

  @Test
  void gradientFilesEqualTheEngineGradientAndReimportedParametersGiveTheSameLoss()
      throws IOException {
    String out = outputOf(gradArgs(dir.resolve("params")));

    ParameterFiles files = new ParameterFiles(model);
    Parameters reimported = files.read(dir.resolve("params"));
    var batch = BatchFiles.read(dir.resolve("batch/inputs.npy"), dir.resolve("batch/labels.npy"));
    BpttResult direct = GradientFunction.storeAll(model, 4).gradient(reimported, batch);
    assertTrue(out.contains(String.format(java.util.Locale.ROOT, "loss %.9g", direct.loss())), out);
    assertArrayEquals(direct.gradient(), files.readFlat(dir.resolve("grad")));

    Path copy = dir.resolve("params-copy");
    files.write(copy, reimported.data());
    StringWriter again = new StringWriter();
    RewindCli.commandLine().setOut(new PrintWriter(again)).execute(gradArgs(copy, "grad2"));
    assertEquals(out, again.toString());
  }

  /** Trainable time constants: init writes q1, q2 and qo, grad reads them and writes theirs. */
  @Test
  void trainableTimeConstantsTravelAsTheirOwnTensorFiles() throws IOException {
    ModelConfig trainable = model.withTrainTau(true);
    Files.writeString(dir.resolve("model.json"), trainable.toJson());
    Path params = dir.resolve("params-tau");
    initialise(params);
    String out = outputOf(gradArgs(params, "grad-tau"));
    ParameterFiles files = new ParameterFiles(trainable);
    var batch = BatchFiles.read(dir.resolve("batch/inputs.npy"), dir.resolve("batch/labels.npy"));
    BpttResult direct = GradientFunction.storeAll(trainable, 4).gradient(files.read(params), batch);
    assertTrue(out.contains(String.format(java.util.Locale.ROOT, "loss %.9g", direct.loss())), out);
    assertArrayEquals(direct.gradient(), files.readFlat(dir.resolve("grad-tau")));
    for (String tensor : List.of("q1", "q2", "qo")) {
      assertTrue(Files.exists(params.resolve(tensor + ".npy")), tensor + " in init's folder");
      assertTrue(Files.exists(dir.resolve("grad-tau/" + tensor + ".npy")), tensor + "'s gradient");
    }
    Files.delete(params.resolve("qo.npy"));
    String missing = errorOf(gradArgs(params, "grad-missing"));
    assertTrue(missing.contains("qo"), missing);
  }

  /** The per-step head reads [T, B] labels, -1 for none, and names a file of the wrong shape. */
  @Test
  void perStepLabelsGiveTheEngineGradientAndWrongShapesAreNamed() throws IOException {
    ModelConfig perStep = model.withLoss(LossSpec.PER_STEP);
    Files.writeString(dir.resolve("model.json"), perStep.toJson());
    String err = errorOf(gradArgs(dir.resolve("params")));
    assertTrue(err.contains("labels.npy: expected shape [T, B] for loss per-step"), err);

    int[] labels = new int[120 * 4];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 3 == 0 ? -1 : (i / 7) % 2;
    }
    Npy.write(dir.resolve("batch/labels.npy"), new IntTensor(new int[] {120, 4}, labels));
    String out = outputOf(gradArgs(dir.resolve("params")));
    ParameterFiles files = new ParameterFiles(perStep);
    FrameSource batch =
        BatchFiles.read(dir.resolve("batch/inputs.npy"), dir.resolve("batch/labels.npy"));
    assertEquals(labels[5 * 4 + 2], batch.stepLabel(2, 5), "[T, B] labels, step 5 of sequence 2");
    BpttResult direct =
        GradientFunction.storeAll(perStep, 4).gradient(files.read(dir.resolve("params")), batch);
    assertTrue(out.contains(String.format(java.util.Locale.ROOT, "loss %.9g", direct.loss())), out);
    assertArrayEquals(direct.gradient(), files.readFlat(dir.resolve("grad")));

    labels[5 * 4 + 2] = 2;
    Npy.write(dir.resolve("batch/labels.npy"), new IntTensor(new int[] {120, 4}, labels));
    String range = errorOf(gradArgs(dir.resolve("params"), "grad-bad"));
    assertTrue(range.contains("labels.npy: per-step label of sequence 2, step 5"), range);
    assertTrue(Files.notExists(dir.resolve("grad-bad")), "nothing written for a bad batch");

    // rewind data --step-labels writes the [T, B] labels of the long-memory task's recall window.
    FrameSource written = recallBatch("--step-labels");
    assertTrue(written.hasStepLabels());
    int labelled = 0;
    for (int t = 0; t < 120; t++) {
      labelled += written.stepLabel(0, t) >= 0 ? 1 : 0;
    }
    assertEquals(30, labelled, "the recall window's steps carry the label");
  }

  /**
   * The regression head reads float [T, B, C] targets, NaN for none, and names a file of the wrong
   * shape or with an infinite target.
   */
  @Test
  void regressionTargetsGiveTheEngineGradientAndBadTargetsAreNamed() throws IOException {
    ModelConfig regression = model.withLoss(LossSpec.REGRESSION);
    Files.writeString(dir.resolve("model.json"), regression.toJson());
    String err = errorOf(gradArgs(dir.resolve("params")));
    assertTrue(err.contains("labels.npy: expected shape float [T, B, C] for loss regression"), err);

    float[] targets = new float[120 * 4 * 2];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = i % 3 == 0 ? Float.NaN : (i % 11) / 10f - 0.5f;
    }
    Npy.write(dir.resolve("batch/labels.npy"), new FloatTensor(new int[] {120, 4, 2}, targets));
    String out = outputOf(gradArgs(dir.resolve("params")));
    ParameterFiles files = new ParameterFiles(regression);
    FrameSource batch =
        BatchFiles.read(dir.resolve("batch/inputs.npy"), dir.resolve("batch/labels.npy"));
    assertEquals(
        targets[(5 * 4 + 2) * 2 + 1], batch.stepTarget(2, 5, 1), "[T, B, C], step 5, sequence 2");
    BpttResult direct =
        GradientFunction.storeAll(regression, 4).gradient(files.read(dir.resolve("params")), batch);
    assertTrue(out.contains(String.format(java.util.Locale.ROOT, "loss %.9g", direct.loss())), out);
    assertArrayEquals(direct.gradient(), files.readFlat(dir.resolve("grad")));

    targets[(5 * 4 + 2) * 2 + 1] = Float.POSITIVE_INFINITY;
    Npy.write(dir.resolve("batch/labels.npy"), new FloatTensor(new int[] {120, 4, 2}, targets));
    String bad = errorOf(gradArgs(dir.resolve("params"), "grad-bad"));
    assertTrue(bad.contains("labels.npy: per-step target of sequence 2, step 5, component 1"), bad);
    assertTrue(Files.notExists(dir.resolve("grad-bad")), "nothing written for a bad batch");
    Npy.write(
        dir.resolve("batch/labels.npy"), new FloatTensor(new int[] {120, 4, 3}, new float[1440]));
    String wide = errorOf(gradArgs(dir.resolve("params"), "grad-wide"));
    assertTrue(
        wide.contains(
            "labels.npy: loss regression: expected a target vector of the model's 2 outputs"),
        wide);

    // rewind data --step-targets writes the one-hot targets of the recall window, NaN elsewhere.
    FrameSource written = recallBatch("--step-targets");
    assertEquals(2, written.targetWidth());
    int targeted = 0;
    for (int t = 0; t < 120; t++) {
      if (!Float.isNaN(written.stepTarget(0, t, 0))) {
        targeted++;
        assertEquals(1f, written.stepTarget(0, t, 0) + written.stepTarget(0, t, 1), "one-hot");
      }
    }
    assertEquals(30, targeted, "the recall window's steps carry a target");
    assertTrue(
        errorOf("data", "--step-labels", "--step-targets", "--out", dir.resolve("both").toString())
            .contains("--step-labels, --step-targets: expected one of them"));
  }

  @Test
  void unknownTensorFileIsNamed() throws IOException {
    Files.copy(dir.resolve("params/W1.npy"), dir.resolve("params/W9.npy"));
    String err = errorOf(gradArgs(dir.resolve("params")));
    assertTrue(err.contains("W9") && err.contains("unknown tensor"), err);
  }

  @Test
  void wrongShapeIsNamed() throws IOException {
    Files.copy(
        dir.resolve("params/W2.npy"),
        dir.resolve("params/W1.npy"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String err = errorOf(gradArgs(dir.resolve("params")));
    assertTrue(err.contains("W1.npy") && err.contains("shape"), err);
  }

  @Test
  void malformedHeaderIsNamed() throws IOException {
    byte[] bytes = Files.readAllBytes(dir.resolve("params/b1.npy"));
    bytes[12] = '!';
    Files.write(dir.resolve("params/b1.npy"), bytes);
    String err = errorOf(gradArgs(dir.resolve("params")));
    assertTrue(err.contains("b1.npy"), err);
  }

  @Test
  void inputWidthMismatchIsNamed() throws IOException {
    Files.writeString(
        dir.resolve("model.json"),
        new ModelConfig(41, model.layers(), 2, model.surrogate()).toJson());
    Files.delete(dir.resolve("params/W1.npy"));
    run(
        "init",
        "--config",
        dir.resolve("model.json").toString(),
        "--out",
        dir.resolve("params41").toString());
    String err = errorOf(gradArgs(dir.resolve("params41")));
    assertTrue(err.contains("inputs.npy") && err.contains("41"), err);
  }

  private String[] gradArgs(Path params) {
    return gradArgs(params, "grad");
  }

  private String[] gradArgs(Path params, String out) {
    return new String[] {
      "grad",
      "--config",
      dir.resolve("model.json").toString(),
      "--params",
      params.toString(),
      "--inputs",
      dir.resolve("batch/inputs.npy").toString(),
      "--labels",
      dir.resolve("batch/labels.npy").toString(),
      "--out",
      dir.resolve(out).toString()
    };
  }

  /** The standard output of a command that must succeed. */
  private static String outputOf(String... args) {
    StringWriter out = new StringWriter();
    int code = RewindCli.commandLine().setOut(new PrintWriter(out)).execute(args);
    assertEquals(0, code, out.toString());
    return out.toString();
  }

  private static int run(String... args) {
    return RewindCli.commandLine().execute(args);
  }

  /** {@code rewind data}: 4 long-memory sequences of 120 steps, delay 20, into {@code out}. */
  private static void writeBatch(Path out, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "data",
                "--steps",
                "120",
                "--delay",
                "20",
                "--batch",
                "4",
                "--out",
                out.toString()));
    args.addAll(List.of(extra));
    assertEquals(0, run(args.toArray(String[]::new)));
  }

  /** {@code rewind init} of model.json, seed 7, into {@code params}. */
  private void initialise(Path params) {
    assertEquals(
        0,
        run(
            "init",
            "--config",
            dir.resolve("model.json").toString(),
            "--seed",
            "7",
            "--out",
            params.toString()));
  }

  /** The batch {@code rewind data} writes for the long-memory task with {@code flag}. */
  private FrameSource recallBatch(String flag) throws IOException {
    Path batch = dir.resolve("recall" + flag);
    writeBatch(batch, "--recall-window", "30", flag);
    return BatchFiles.read(batch.resolve("inputs.npy"), batch.resolve("labels.npy"));
  }

  private static String errorOf(String... args) {
    StringWriter err = new StringWriter();
    int code = RewindCli.commandLine().setErr(new PrintWriter(err)).execute(args);
    assertEquals(2, code, err.toString());
    return err.toString();
  }
}
