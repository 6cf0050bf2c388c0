package dev.rewind.trainer.data;

/**
 * Steps {@code [from, from + steps)} of a batch as a batch of its own, read through without
 * copying: a time segment of longer sequences, or the first steps of them (for calibration).
 */
public record FrameWindow(FrameSource source, int from, int steps) implements FrameSource {
  public FrameWindow {
    if (source == null) {
      throw new IllegalArgumentException("frame window: expected a source, got null");
    }
    if (from < 0 || steps < 1 || (long) from + steps > source.steps()) {
      throw new IllegalArgumentException(
          "frame window: expected 0 <= from and 1 <= steps with from + steps <= "
              + source.steps()
              + ", got from="
              + from
              + ", steps="
              + steps);
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
  public boolean hasStepLabels() {
    return source.hasStepLabels();
  }

  @Override
  public int stepLabel(int b, int t) {
    FrameSource.checkFrameIndex(this, t, b);
    return source.stepLabel(b, from + t);
  }

  @Override
  public int targetWidth() {
    return source.targetWidth();
  }

  @Override
  public float stepTarget(int b, int t, int c) {
    FrameSource.checkFrameIndex(this, t, b);
    return source.stepTarget(b, from + t, c);
  }

  @Override
  public int fill(int t, int b, int[] channels, float[] values) {
    FrameSource.checkFrameIndex(this, t, b);
    return source.fill(from + t, b, channels, values);
  }
}
