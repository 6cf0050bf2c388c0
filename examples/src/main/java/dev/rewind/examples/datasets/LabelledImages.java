package dev.rewind.examples.datasets;

import java.util.Arrays;

/**
 * {@code count} grey-scale images of {@code rows x cols} unsigned-byte pixels, row-major, image
 * after image, each with a class label in [0, classes).
 */
public record LabelledImages(int rows, int cols, int classes, byte[] pixels, int[] labels) {

  public LabelledImages {
    if (rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException(
          "image size: expected positive rows and cols, got " + rows + " x " + cols);
    }
    if (classes < 2) {
      throw new IllegalArgumentException("classes: expected >= 2, got " + classes);
    }
    if ((long) labels.length * rows * cols != pixels.length) {
      throw new IllegalArgumentException(
          "pixels: expected "
              + labels.length
              + " images x "
              + rows
              + " x "
              + cols
              + " = "
              + (long) labels.length * rows * cols
              + ", got "
              + pixels.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            "label of image " + i + ": expected in [0, " + classes + "), got " + labels[i]);
      }
    }
  }

  public int count() {
    return labels.length;
  }

  /** Pixels per image. */
  public int size() {
    return rows * cols;
  }

  public int label(int image) {
    return labels[image];
  }

  /** Pixel {@code p} (row-major) of image {@code image} as an intensity in [0, 1]. */
  public float intensity(int image, int p) {
    return (pixels[image * size() + p] & 0xFF) / 255f;
  }

  /** The first {@code n} images. */
  public LabelledImages first(int n) {
    if (n < 0 || n > count()) {
      throw new IllegalArgumentException("image count: expected in [0, " + count() + "], got " + n);
    }
    return new LabelledImages(
        rows, cols, classes, Arrays.copyOf(pixels, n * size()), Arrays.copyOf(labels, n));
  }
}
