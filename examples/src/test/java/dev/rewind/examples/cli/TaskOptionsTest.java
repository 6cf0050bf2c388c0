package dev.rewind.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.examples.RewindCli;
import dev.rewind.examples.datasets.TestIdx;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.io.BatchFiles;
import dev.rewind.trainer.model.InitScheme;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The datasets behind {@code --task}, through the CLI, on a small fake Fashion-MNIST folder. */
class TaskOptionsTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return RewindCli.commandLine()
        .setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err))
        .execute(args);
  }

  private Path fakeFmnist() throws IOException {
    return TestIdx.fakeFashionMnist(dir.resolve("fmnist"), 20, 10, 28, 28, true);
  }

  private String[] train(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--engine",
                "jvm",
                "--layers",
                "12",
                "--epochs",
                "1",
                "--batch",
                "10",
                "--train-size",
                "20",
                "--test-size",
                "10"));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  @Test
  void trainsOnSequentialFashionMnist() throws IOException {
    String fm = fakeFmnist().toString();
    int code = run(train("--task", "fmnist-seq", "--fmnist-dir", fm, "--pixels-per-step", "28"));
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("T=28, 28 channels"), out.toString());
    assertTrue(out.toString().contains("epoch 1/1"), out.toString());
    assertTrue(out.toString().contains(DenseInputInit.SCHEME.toString()), out.toString());
  }

  @Test
  void denseInputsGetTheDenseInitUnlessScalesAreGiven() throws IOException {
    String fm = fakeFmnist().toString();
    String[] args =
        train(
            "--task",
            "fmnist-seq",
            "--fmnist-dir",
            fm,
            "--pixels-per-step",
            "28",
            "--init-scale",
            "5,2,1");
    assertEquals(0, run(args), err.toString());
    assertTrue(
        out.toString().contains("InitScheme[inputScale=5.0, recurrentScale=2.0, readoutScale=1.0]"),
        out.toString());
    assertEquals(0, run(train("--task", "randman", "--steps", "20", "--channels", "10")));
    assertTrue(out.toString().contains(InitScheme.DEFAULT.toString()), out.toString());
    assertEquals(1.0, DenseInputInit.SCHEME.recurrentScale());
    assertEquals(InitScheme.DEFAULT.inputScale(), DenseInputInit.SCHEME.inputScale());
  }

  @Test
  void trainsOnSpikeCodedFashionMnist() throws IOException {
    String fm = fakeFmnist().toString();
    int code = run(train("--task", "fmnist-spikes", "--fmnist-dir", fm, "--steps", "40"));
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("T=40, 784 channels"), out.toString());
  }

  @Test
  void trainsOnDeltaCodedFashionMnist() throws IOException {
    String fm = fakeFmnist().toString();
    int code =
        run(
            train(
                "--task",
                "fmnist-spikes",
                "--fmnist-dir",
                fm,
                "--encoding",
                "delta",
                "--steps",
                "1000"));
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("T=1000, 2 channels"), out.toString());
  }

  @Test
  void unknownEncodingsAndShortDeltaScansAreRefused() throws IOException {
    String fm = fakeFmnist().toString();
    assertEquals(
        2, run(train("--task", "fmnist-spikes", "--fmnist-dir", fm, "--encoding", "rate")));
    assertTrue(
        err.toString().contains("--encoding: expected latency or delta, got 'rate'"),
        err.toString());
    assertEquals(
        2,
        run(
            train(
                "--task",
                "fmnist-spikes",
                "--fmnist-dir",
                fm,
                "--encoding",
                "delta",
                "--steps",
                "500")));
    assertTrue(
        err.toString().contains("expected >= the 784 pixels of an image, got 500"), err.toString());
  }

  @Test
  void trainsOnRandman() {
    int code =
        run(train("--task", "randman", "--steps", "50", "--channels", "10", "--manifold-dim", "2"));
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("randman task: T=50"), out.toString());
  }

  @Test
  void randmanSizesMustSplitEvenlyOverClasses() {
    int code =
        run(
            "train",
            "--engine",
            "jvm",
            "--task",
            "randman",
            "--classes",
            "3",
            "--batch",
            "2",
            "--train-size",
            "4",
            "--test-size",
            "6");
    assertEquals(2, code);
    assertTrue(
        err.toString().contains("--train-size: expected a multiple of --classes 3"),
        err.toString());
  }

  @Test
  void dataWritesAFashionMnistBatch() throws IOException {
    String fm = fakeFmnist().toString();
    Path batch = dir.resolve("batch");
    int code =
        run(
            "data",
            "--task",
            "fmnist-seq",
            "--fmnist-dir",
            fm,
            "--batch",
            "3",
            "--out",
            batch.toString());
    assertEquals(0, code, err.toString());
    FrameSource frames = BatchFiles.read(batch.resolve("inputs.npy"), batch.resolve("labels.npy"));
    assertEquals(784, frames.steps());
    assertEquals(1, frames.channels());
    assertEquals(3, frames.batchSize());
    assertEquals(2, frames.label(2));
    int[] idx = new int[1];
    float[] val = new float[1];
    int n = frames.fill(5, 2, idx, val);
    assertEquals(1, n);
    assertEquals(TestIdx.pixel(2, 5) / 255f, val[0]);
  }

  @Test
  void missingFashionMnistSaysHowToInstallIt() {
    int code = run(train("--task", "fmnist-seq", "--fmnist-dir", dir.resolve("none").toString()));
    assertEquals(2, code);
    assertTrue(
        err.toString().contains("sudo apt-get install dataset-fashion-mnist"), err.toString());
  }

  @Test
  void optionsOfAnotherTaskAreRefused() {
    int code = run(train("--task", "randman", "--delay", "10"));
    assertEquals(2, code);
    assertTrue(
        err.toString()
            .contains("--delay: expected only with --task long-memory, got --task randman"),
        err.toString());
  }

  @Test
  void unknownTasksAreNamed() {
    assertEquals(2, run(train("--task", "mnist")));
    assertTrue(err.toString().contains("got 'mnist'"), err.toString());
  }

  @Test
  void helpListsTheTasksAndTheirOptions() {
    assertEquals(0, run("train", "--help"));
    for (String s :
        new String[] {
          "fmnist-seq",
          "fmnist-spikes",
          "randman",
          "--pixels-per-step",
          "--spike-threshold",
          "--encoding",
          "--manifold-dim",
          "--smoothness",
          "[long-memory] Steps between"
        }) {
      assertTrue(out.toString().contains(s), s + " in\n" + out);
    }
  }
}
