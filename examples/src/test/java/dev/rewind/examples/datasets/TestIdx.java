package dev.rewind.examples.datasets;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files and fake Fashion-MNIST folders for tests. */
public final class TestIdx {
  private TestIdx() {}

  public static byte[] bytes(int type, int[] dims, byte[] values) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(buf);
    out.write(new byte[] {0, 0, (byte) type, (byte) dims.length});
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(values);
    return buf.toByteArray();
  }

  public static Path write(Path file, byte[] content) throws IOException {
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream out =
            file.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw) {
      out.write(content);
    }
    return file;
  }

  /**
   * A Fashion-MNIST-shaped folder: {@code train} and {@code test} images of rows x cols, image i
   * having pixel p = (7 * i + 13 * p) mod 256 and label i mod 10; gzipped or plain.
   */
  public static Path fakeFashionMnist(Path dir, int train, int test, int rows, int cols, boolean gz)
      throws IOException {
    Files.createDirectories(dir);
    String ext = gz ? ".gz" : "";
    writeSplit(dir, "train", train, rows, cols, ext);
    writeSplit(dir, "t10k", test, rows, cols, ext);
    return dir;
  }

  public static int pixel(int image, int p) {
    return (7 * image + 13 * p) % 256;
  }

  private static void writeSplit(Path dir, String prefix, int n, int rows, int cols, String ext)
      throws IOException {
    byte[] pixels = new byte[n * rows * cols];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) (i % 10);
      for (int p = 0; p < rows * cols; p++) {
        pixels[i * rows * cols + p] = (byte) pixel(i, p);
      }
    }
    write(
        dir.resolve(prefix + "-images-idx3-ubyte" + ext),
        bytes(8, new int[] {n, rows, cols}, pixels));
    write(dir.resolve(prefix + "-labels-idx1-ubyte" + ext), bytes(8, new int[] {n}, labels));
  }
}
