package dev.rewind.trainer.data;

/**
 * Frames of another source with a real target vector at every step, for a regression loss head:
 * {@code targets[(b * T + t) * C + c]} is component c of sequence b's target at step t, or NaN
 * where that component has no target. The frames are read through without copying; the targets are
 * copied and checked at construction (C is checked against the model).
 */
public final class StepTargetFrames extends SupervisedFrames {
  private final int width;
  private final float[] targets;

  public StepTargetFrames(FrameSource frames, int width, float[] targets) {
    super("step-target frames", frames);
    if (width < 1) {
      throw new IllegalArgumentException(
          "per-step targets: expected a target width >= 1, got " + width);
    }
    long cells = (long) frames.batchSize() * frames.steps() * width;
    if (targets.length != cells) {
      throw new IllegalArgumentException(
          "per-step targets: expected "
              + cells
              + " values (sequence x step x component, "
              + frames.batchSize()
              + " x "
              + frames.steps()
              + " x "
              + width
              + "), got "
              + targets.length);
    }
    for (int i = 0; i < targets.length; i++) {
      if (Float.isInfinite(targets[i])) {
        int cell = i / width;
        throw new IllegalArgumentException(
            "per-step target of sequence "
                + cell / frames.steps()
                + ", step "
                + cell % frames.steps()
                + ", component "
                + i % width
                + ": expected a finite value or NaN (no target), got "
                + targets[i]);
      }
    }
    this.width = width;
    this.targets = targets.clone();
  }

  @Override
  public int targetWidth() {
    return width;
  }

  @Override
  public float stepTarget(int b, int t, int c) {
    FrameSource.checkFrameIndex(this, t, b);
    if (c < 0 || c >= width) {
      throw new IllegalArgumentException(
          "per-step target component: expected in [0, " + width + "), got " + c);
    }
    return targets[(b * frames.steps() + t) * width + c];
  }
}
