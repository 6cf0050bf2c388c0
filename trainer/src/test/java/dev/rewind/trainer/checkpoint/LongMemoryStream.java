package dev.rewind.trainer.checkpoint;

import dev.rewind.trainer.data.FrameSource;

/**
 * The long-memory task generated on demand: each sequence's class is shown as a cue in its first
 * {@code cueSteps} steps (the channels {@code j} with {@code j % classes == label} fire with
 * probability 1/2), then only background noise follows (every channel fires with probability {@code
 * density}) until step T, when the class must be recalled. Every frame is a pure function of (seed,
 * row, step, channel) through a counter-based generator, so any step is produced in O(channels)
 * time and nothing is held per step: a sequence of 10^6 steps costs no memory.
 */
final class LongMemoryStream implements FrameSource {
  private static final double CUE_RATE = 0.5;
  private final int batch;
  private final int steps;
  private final int channels;
  private final int classes;
  private final int cueSteps;
  private final double density;
  private final long seed;
  private final int[] labels;

  /**
   * @param batch sequences
   * @param steps T
   * @param channels input channels, at least {@code classes}
   * @param classes number of classes, at least 2
   * @param cueSteps length of the cue, in [1, T]
   * @param density background firing probability per channel and step, in [0, 1)
   * @param seed what the whole batch is a function of
   */
  public LongMemoryStream(
      int batch, int steps, int channels, int classes, int cueSteps, double density, long seed) {
    if (batch < 1 || steps < 1) {
      throw new IllegalArgumentException(
          "expected batch >= 1 and steps >= 1, got " + batch + " and " + steps);
    }
    if (classes < 2 || channels < classes) {
      throw new IllegalArgumentException(
          "expected classes >= 2 and channels >= classes, got " + classes + " and " + channels);
    }
    if (cueSteps < 1 || cueSteps > steps) {
      throw new IllegalArgumentException(
          "cueSteps: expected in [1, " + steps + "], got " + cueSteps);
    }
    if (!(density >= 0 && density < 1)) {
      throw new IllegalArgumentException("density: expected in [0, 1), got " + density);
    }
    this.batch = batch;
    this.steps = steps;
    this.channels = channels;
    this.classes = classes;
    this.cueSteps = cueSteps;
    this.density = density;
    this.seed = seed;
    this.labels = new int[batch];
    for (int b = 0; b < batch; b++) {
      labels[b] = (int) Long.remainderUnsigned(mix(seed ^ 0x632BE59BD9B4E019L * (b + 1)), classes);
    }
  }

  @Override
  public int batchSize() {
    return batch;
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
    return labels[b];
  }

  @Override
  public int fill(int t, int b, int[] active, float[] values) {
    FrameSource.checkFrameIndex(this, t, b);
    long base = mix(seed + 0x9E3779B97F4A7C15L * (b + 1)) ^ 0xD1B54A32D192ED03L * (t + 1L);
    int label = labels[b];
    int n = 0;
    for (int j = 0; j < channels; j++) {
      double p = t < cueSteps ? (j % classes == label ? CUE_RATE : 0) : density;
      if (p > 0 && uniform(mix(base + 0xBF58476D1CE4E5B9L * (j + 1))) < p) {
        active[n] = j;
        values[n] = 1f;
        n++;
      }
    }
    return n;
  }

  private static double uniform(long bits) {
    return (bits >>> 11) * 0x1.0p-53;
  }

  /** SplitMix64's finaliser: a bijective mix of 64 bits. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
