package dev.rewind.trainer.petra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Test helpers: random tensors, conversions and tolerance checks. */
final class Tensors {
  private Tensors() {}

  static SequenceTensor random(int steps, int batch, int width, double scale, SplittableRandom r) {
    float[] d = new float[steps * batch * width];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) ((2 * r.nextDouble() - 1) * scale);
    }
    return new SequenceTensor(steps, batch, width, d);
  }

  static Activation randomPair(int steps, int batch, int width, double scale, SplittableRandom r) {
    return new Activation(
        random(steps, batch, width, scale, r), random(steps, batch, width, scale, r));
  }

  /**
   * Sets the LIF biases of the map whose parameters start at {@code off} to U(0.9, 1.9) so that
   * membrane potentials hover around the threshold and neurons spike often.
   */
  static void excite(SequenceMapConfig c, float[] p, int off, SplittableRandom r) {
    int from = off + c.hidden() * c.inputWidth() + (c.recurrent() ? c.hidden() * c.hidden() : 0);
    for (int i = 0; i < c.hidden(); i++) {
      p[from + i] = (float) (0.9 + r.nextDouble());
    }
  }

  static double[][][] toDouble(SequenceTensor x) {
    double[][][] d = new double[x.steps()][x.batch()][x.width()];
    for (int t = 0; t < x.steps(); t++) {
      for (int b = 0; b < x.batch(); b++) {
        for (int i = 0; i < x.width(); i++) {
          d[t][b][i] = x.data()[x.row(t, b) + i];
        }
      }
    }
    return d;
  }

  static double[] flat(double[][][] x) {
    int n = x.length * x[0].length * x[0][0].length;
    double[] f = new double[n];
    int k = 0;
    for (double[][] a : x) {
      for (double[] b : a) {
        for (double v : b) {
          f[k++] = v;
        }
      }
    }
    return f;
  }

  /**
   * Asserts |actual - expected| <= tolerance * (max |expected| + tiny) for every entry, i.e. error
   * relative to the array's scale.
   */
  static double assertClose(String what, double[] expected, float[] actual, double tolerance) {
    assertEquals(expected.length, actual.length, what + ": length");
    double scale = 1e-12;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      double err = Math.abs(actual[i] - expected[i]) / scale;
      worst = Math.max(worst, err);
      final int index = i;
      assertTrue(
          err <= tolerance,
          () -> what + "[" + index + "]: expected " + expected[index] + ", got " + actual[index]);
    }
    return worst;
  }

  static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /** Regular files under {@code dir} (none when it does not exist). */
  static List<Path> filesUnder(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }
}
