package dev.rewind.examples.datasets;

import dev.rewind.trainer.data.EventFrames;
import java.util.Arrays;

/**
 * Latency (time-to-first-spike) coding: one input channel per pixel; a pixel of intensity x in [0,
 * 1] spikes exactly once, at step {@code round((1 - x) / (1 - threshold) * (steps - 1))}, so the
 * brightest pixels fire at step 0 and pixels at the threshold at the last step; pixels with x below
 * {@code threshold} never spike. Dark background pixels thus cost nothing and the sequence length
 * is free: {@code steps} (1000 by default in the CLI) sets the time resolution only.
 */
public record LatencyEncoding(int steps, double threshold) implements ImageEncoding {

  public LatencyEncoding {
    ImageEncoding.checkSpikeCode(steps, threshold);
  }

  @Override
  public int steps(int pixels) {
    return steps;
  }

  @Override
  public int channels(int pixels) {
    return pixels;
  }

  /** The spike step of a pixel of intensity {@code x}, or -1 if it stays silent. */
  public int spikeStep(float x) {
    if (x < threshold) {
      return -1;
    }
    return (int) Math.round((1 - x) / (1 - threshold) * (steps - 1));
  }

  @Override
  public EventFrames encode(LabelledImages images, int from, int count) {
    ImageEncoding.checkRange(images, from, count);
    int pixels = images.size();
    int[][] times = new int[count][];
    int[][] channels = new int[count][];
    int[] labels = new int[count];
    int[] perStep = new int[steps + 1];
    int[] spike = new int[pixels];
    for (int b = 0; b < count; b++) {
      labels[b] = images.label(from + b);
      Arrays.fill(perStep, 0);
      int n = 0;
      for (int p = 0; p < pixels; p++) {
        spike[p] = spikeStep(images.intensity(from + b, p));
        if (spike[p] >= 0) {
          perStep[spike[p] + 1]++;
          n++;
        }
      }
      // Counting sort by step keeps the events time-ordered, channels ascending within a step.
      for (int t = 0; t < steps; t++) {
        perStep[t + 1] += perStep[t];
      }
      times[b] = new int[n];
      channels[b] = new int[n];
      for (int p = 0; p < pixels; p++) {
        if (spike[p] >= 0) {
          int k = perStep[spike[p]]++;
          times[b][k] = spike[p];
          channels[b][k] = p;
        }
      }
    }
    return new EventFrames(steps, pixels, times, channels, labels);
  }
}
