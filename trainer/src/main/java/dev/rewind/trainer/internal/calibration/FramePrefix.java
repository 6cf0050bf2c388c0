package dev.rewind.trainer.internal.calibration;

import dev.rewind.trainer.data.FrameSource;

/** The first {@code steps} frames of a batch, read through without copying (for calibration). */
record FramePrefix(FrameSource source, int steps) implements FrameSource {
  FramePrefix {
    if (steps < 1 || steps > source.steps()) {
      throw new IllegalArgumentException(
          "prefix steps: expected in [1, " + source.steps() + "], got " + steps);
    }
  }

  @Override
  public int batchSize() {
    return source.batchSize();
  }

  @Override
  public int channels() {
    return source.channels();
  }

  @Override
  public int label(int b) {
    return source.label(b);
  }

  @Override
  public int fill(int t, int b, int[] channels, float[] values) {
    FrameSource.checkFrameIndex(this, t, b);
    return source.fill(t, b, channels, values);
  }
}
