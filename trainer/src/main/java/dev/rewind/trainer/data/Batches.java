package dev.rewind.trainer.data;

/** Shape checks shared by the frame sources. */
final class Batches {
  private Batches() {}

  static void checkShape(int batch, int steps, int channels, int[] labels) {
    if (batch <= 0) {
      throw new IllegalArgumentException("batch: expected at least one sequence, got " + batch);
    }
    if (steps <= 0) {
      throw new IllegalArgumentException("steps: expected T > 0, got " + steps);
    }
    if (channels <= 0) {
      throw new IllegalArgumentException("channels: expected > 0, got " + channels);
    }
    if ((long) batch * steps > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException(
          "batch x steps: expected at most 2^30, got " + (long) batch * steps);
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
