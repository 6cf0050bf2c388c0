package dev.rewind.spark.internal.data;

import dev.rewind.trainer.data.FrameSource;
import java.util.List;

/**
 * Several whole sequences of equal length read as one batch: row {@code b} of the batch is the
 * single sequence {@code sequences.get(b)}. Lets a task compute the gradient of a group of its
 * sequences with one batched engine run instead of one run per sequence.
 */
public final class BatchedFrames implements FrameSource {
  private final FrameSource[] sequences;
  private final int steps;
  private final int channels;

  /**
   * Wraps (does not copy) {@code sequences}: at least one, each a batch of one, all of the same
   * length and width.
   */
  public BatchedFrames(List<FrameSource> sequences) {
    if (sequences.isEmpty()) {
      throw new IllegalArgumentException("batched frames: expected at least one sequence, got 0");
    }
    FrameSource first = sequences.get(0);
    this.steps = first.steps();
    this.channels = first.channels();
    for (int b = 0; b < sequences.size(); b++) {
      FrameSource s = sequences.get(b);
      if (s.batchSize() != 1) {
        throw new IllegalArgumentException(
            "batched frames, sequence " + b + ": expected a batch of one, got " + s.batchSize());
      }
      if (s.hasStepLabels() != first.hasStepLabels() || s.targetWidth() != first.targetWidth()) {
        throw new IllegalArgumentException(
            "batched frames, sequence "
                + b
                + ": expected the per-step supervision of sequence 0, got "
                + (s.hasStepLabels() ? "labels" : "targets of width " + s.targetWidth()));
      }
      if (s.steps() != steps || s.channels() != channels) {
        throw new IllegalArgumentException(
            "batched frames, sequence "
                + b
                + ": expected "
                + steps
                + " steps x "
                + channels
                + " channels (as sequence 0), got "
                + s.steps()
                + " x "
                + s.channels());
      }
    }
    this.sequences = sequences.toArray(new FrameSource[0]);
  }

  @Override
  public int batchSize() {
    return sequences.length;
  }

  @Override
  public int steps() {
    return steps;
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public int label(int b) {
    return sequences[b].label(0);
  }

  @Override
  public boolean hasStepLabels() {
    return sequences[0].hasStepLabels();
  }

  @Override
  public int stepLabel(int b, int t) {
    return sequences[b].stepLabel(0, t);
  }

  @Override
  public int targetWidth() {
    return sequences[0].targetWidth();
  }

  @Override
  public float stepTarget(int b, int t, int c) {
    return sequences[b].stepTarget(0, t, c);
  }

  @Override
  public int fill(int t, int b, int[] active, float[] values) {
    return sequences[b].fill(t, 0, active, values);
  }
}
