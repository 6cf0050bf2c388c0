package dev.rewind.examples.datasets;

import dev.rewind.trainer.data.EventFrames;
import java.util.Arrays;

/**
 * Delta (send-on-change) coding along the raster scan path: the pixels are read row by row, left to
 * right, and compared with a reference level that starts at 0. A pixel whose intensity x in [0, 1]
 * exceeds the reference by more than {@code threshold} emits an ON spike (channel 0), one below it
 * by more than {@code threshold} an OFF spike (channel 1); either way the reference becomes x.
 * Smaller changes emit nothing and leave the reference where it is, so slow drifts add up until
 * they cross the threshold. Pixel p of an image of P pixels is read at step {@code floor(p * steps
 * / P)}; {@code steps >= P} stretches the scan to that length with at most one spike per step (1000
 * by default in the CLI, so 784 pixels become a 1000-step spike train on 2 channels).
 */
public record DeltaEncoding(int steps, double threshold) implements ImageEncoding {
  /** Channel of the spikes for an increase of intensity. */
  public static final int ON = 0;

  /** Channel of the spikes for a decrease of intensity. */
  public static final int OFF = 1;

  public DeltaEncoding {
    ImageEncoding.checkSpikeCode(steps, threshold);
  }

  @Override
  public int steps(int pixels) {
    if (steps < pixels) {
      throw new IllegalArgumentException(
          "steps: expected >= the " + pixels + " pixels of an image, got " + steps);
    }
    return steps;
  }

  @Override
  public int channels(int pixels) {
    return 2;
  }

  /** The step at which pixel {@code p} of an image of {@code pixels} pixels is read. */
  public int stepOf(int p, int pixels) {
    return (int) ((long) p * steps / pixels);
  }

  @Override
  public EventFrames encode(LabelledImages images, int from, int count) {
    ImageEncoding.checkRange(images, from, count);
    int pixels = images.size();
    steps(pixels);
    int[][] times = new int[count][];
    int[][] channels = new int[count][];
    int[] labels = new int[count];
    int[] t = new int[pixels];
    int[] c = new int[pixels];
    for (int b = 0; b < count; b++) {
      labels[b] = images.label(from + b);
      float reference = 0;
      int n = 0;
      for (int p = 0; p < pixels; p++) {
        float x = images.intensity(from + b, p);
        if (Math.abs(x - reference) > threshold) {
          t[n] = stepOf(p, pixels);
          c[n] = x > reference ? ON : OFF;
          n++;
          reference = x;
        }
      }
      // The scan is in pixel order and stepOf is increasing, so the events are time-ordered.
      times[b] = Arrays.copyOf(t, n);
      channels[b] = Arrays.copyOf(c, n);
    }
    return new EventFrames(steps, 2, times, channels, labels);
  }
}
