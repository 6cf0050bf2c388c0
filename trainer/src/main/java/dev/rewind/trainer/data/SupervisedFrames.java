package dev.rewind.trainer.data;

/**
 * Frames of another source, read through without copying, with per-step supervision (labels or
 * targets) added by a subclass: the shape, the sequences' labels and the frames are the source's.
 */
abstract class SupervisedFrames implements FrameSource {
  final FrameSource frames;

  SupervisedFrames(String what, FrameSource frames) {
    if (frames == null) {
      throw new IllegalArgumentException(what + ": expected frames, got null");
    }
    this.frames = frames;
  }

  @Override
  public final int batchSize() {
    return frames.batchSize();
  }

  @Override
  public final int steps() {
    return frames.steps();
  }

  @Override
  public final int channels() {
    return frames.channels();
  }

  @Override
  public final int label(int b) {
    return frames.label(b);
  }

  @Override
  public final int fill(int t, int b, int[] channels, float[] values) {
    return frames.fill(t, b, channels, values);
  }
}
