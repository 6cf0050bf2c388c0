package dev.rewind.trainer.data;

/**
 * Frames of another source with a class label at every step, for a per-step loss head: {@code
 * labels[b * T + t]} is sequence b's label at step t, or -1 where the step has none. The frames are
 * read through without copying; the labels are copied and checked at construction (their upper
 * bound is checked against the model).
 */
public final class StepLabelledFrames extends SupervisedFrames {
  private final int[] labels;

  public StepLabelledFrames(FrameSource frames, int[] labels) {
    super("step-labelled frames", frames);
    long cells = (long) frames.batchSize() * frames.steps();
    if (labels.length != cells) {
      throw new IllegalArgumentException(
          "per-step labels: expected "
              + cells
              + " (one per sequence and step, "
              + frames.batchSize()
              + " x "
              + frames.steps()
              + "), got "
              + labels.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < -1) {
        throw new IllegalArgumentException(
            "per-step label of sequence "
                + i / frames.steps()
                + ", step "
                + i % frames.steps()
                + ": expected a class >= 0 or -1 (none), got "
                + labels[i]);
      }
    }
    this.labels = labels.clone();
  }

  @Override
  public boolean hasStepLabels() {
    return true;
  }

  @Override
  public int stepLabel(int b, int t) {
    FrameSource.checkFrameIndex(this, t, b);
    return labels[b * frames.steps() + t];
  }
}
