package dev.rewind.trainer.data;

/**
 * Frames given as one float per channel per step: {@code values[(b * steps + t) * channels + j]}.
 * Zero entries are skipped by the engine, so binary spike rasters cost what their spikes cost.
 */
public final class DenseFrames extends LabelledFrames {
  private final float[] values;

  /** Validates and wraps (does not copy) {@code values}; copies {@code labels}. */
  public DenseFrames(float[] values, int batch, int steps, int channels, int[] labels) {
    super(batch, steps, channels, labels);
    checkIndexable(batch, steps);
    long expected = (long) batch * steps * channels;
    if (values.length != expected) {
      throw new IllegalArgumentException(
          "dense frames: expected "
              + batch
              + " x "
              + steps
              + " x "
              + channels
              + " = "
              + expected
              + " values, got "
              + values.length);
    }
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        int j = i % channels;
        int t = (i / channels) % steps;
        int b = i / channels / steps;
        throw new IllegalArgumentException(
            "dense frames: sequence "
                + b
                + ", step "
                + t
                + ", channel "
                + j
                + ": expected a finite value, got "
                + values[i]);
      }
    }
    this.values = values;
  }

  @Override
  public int fill(int t, int b, int[] active, float[] activeValues) {
    int base = (b * steps + t) * channels;
    int n = 0;
    for (int j = 0; j < channels; j++) {
      float x = values[base + j];
      if (x != 0f) {
        active[n] = j;
        activeValues[n] = x;
        n++;
      }
    }
    return n;
  }
}
