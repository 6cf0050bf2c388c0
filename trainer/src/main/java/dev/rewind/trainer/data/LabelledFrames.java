package dev.rewind.trainer.data;

/** The batch shape and labels a frame source of this package holds, checked, and their getters. */
abstract class LabelledFrames implements FrameSource {
  final int batch;
  final int steps;
  final int channels;
  final int[] labels;

  /** Checks the shape and copies {@code labels}. */
  LabelledFrames(int batch, int steps, int channels, int[] labels) {
    checkShape(batch, steps, channels, labels);
    this.batch = batch;
    this.steps = steps;
    this.channels = channels;
    this.labels = labels.clone();
  }

  @Override
  public final int batchSize() {
    return batch;
  }

  @Override
  public final int steps() {
    return steps;
  }

  @Override
  public final int channels() {
    return channels;
  }

  @Override
  public final int label(int b) {
    return labels[b];
  }

  /** For a source that indexes every (sequence, step) pair in one array. */
  static void checkIndexable(int batch, int steps) {
    if ((long) batch * steps > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException(
          "batch x steps: expected at most 2^30, got " + (long) batch * steps);
    }
  }

  private static void checkShape(int batch, int steps, int channels, int[] labels) {
    if (batch <= 0) {
      throw new IllegalArgumentException("batch: expected at least one sequence, got " + batch);
    }
    if (steps <= 0) {
      throw new IllegalArgumentException("steps: expected T > 0, got " + steps);
    }
    if (channels <= 0) {
      throw new IllegalArgumentException("channels: expected > 0, got " + channels);
    }
    if (labels.length != batch) {
      throw new IllegalArgumentException(
          "labels: expected " + batch + " (one per sequence), got " + labels.length);
    }
    for (int b = 0; b < batch; b++) {
      if (labels[b] < 0) {
        throw new IllegalArgumentException(
            "label of sequence " + b + ": expected >= 0, got " + labels[b]);
      }
    }
  }
}
