package dev.rewind.examples.datasets;

import dev.rewind.trainer.data.DenseFrames;

/**
 * Sequential images: the pixels in raster order (row by row, left to right), {@code pixelsPerStep}
 * at a time, as dense inputs equal to the intensity in [0, 1]. With 1 pixel per step a 28 x 28
 * image is a 784-step sequence on one input channel (the "sequential MNIST" benchmark); with {@code
 * k} pixels per step it is {@code 784 / k} steps on {@code k} channels, channel j carrying pixel
 * {@code t * k + j} at step t.
 */
public record SequentialEncoding(int pixelsPerStep) implements ImageEncoding {

  public SequentialEncoding {
    if (pixelsPerStep < 1) {
      throw new IllegalArgumentException("pixels per step: expected >= 1, got " + pixelsPerStep);
    }
  }

  @Override
  public int steps(int pixels) {
    if (pixels % pixelsPerStep != 0) {
      throw new IllegalArgumentException(
          "pixels per step: expected a divisor of the "
              + pixels
              + " pixels of an image, got "
              + pixelsPerStep);
    }
    return pixels / pixelsPerStep;
  }

  @Override
  public int channels(int pixels) {
    steps(pixels);
    return pixelsPerStep;
  }

  @Override
  public DenseFrames encode(LabelledImages images, int from, int count) {
    ImageEncoding.checkRange(images, from, count);
    int pixels = images.size();
    int steps = steps(pixels);
    // Raster order with pixelsPerStep channels is exactly the image's own memory layout.
    float[] values = new float[count * pixels];
    int[] labels = new int[count];
    for (int b = 0; b < count; b++) {
      labels[b] = images.label(from + b);
      for (int p = 0; p < pixels; p++) {
        values[b * pixels + p] = images.intensity(from + b, p);
      }
    }
    return new DenseFrames(values, count, steps, pixelsPerStep, labels);
  }
}
