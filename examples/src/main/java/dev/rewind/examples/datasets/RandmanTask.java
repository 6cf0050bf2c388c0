package dev.rewind.examples.datasets;

import dev.rewind.trainer.data.EventFrames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A spike-timing task of the "random manifold" kind (Zenke and Vogels 2021, Randman): each class is
 * a random smooth map from a {@code dimension}-dimensional latent cube [0, 1)^D to the spike times
 * of {@code channels} input channels; a sample of class c is a uniformly random latent point x, and
 * channel j spikes exactly once, at step {@code floor(m_{c,j}(x) * steps)} (clamped to steps - 1).
 * Only the spike timing carries the class: every sample has exactly one spike per channel.
 *
 * <p>The map is {@code m_{c,j}(x) = prod_d f_{c,j,d}(x_d)} with smooth random functions {@code f(u)
 * = sum_{k=1..MODES} k^-smoothness a_k sin(2 pi (k b_k u + p_k))}, a, b, p uniform in [0, 1),
 * rescaled so that f spans exactly [0, 1] on a grid of [0, 1]: larger {@code smoothness} damps the
 * higher modes and gives smoother, easier manifolds. The manifolds depend only on {@code seed};
 * sample draws take their own seed, so training and test sets share manifolds and differ in points.
 */
public final class RandmanTask {
  /** Sinusoids per random function. */
  public static final int MODES = 8;

  private static final int GRID = 1000;

  private final int channels;
  private final int classes;
  private final int steps;
  private final int dimension;
  private final double smoothness;
  // Per (class, channel, dim): MODES amplitudes, frequencies, phases, then an offset and a scale.
  private final double[] coefficients;

  public RandmanTask(
      int channels, int classes, int steps, int dimension, double smoothness, long seed) {
    if (channels < 1 || classes < 2 || steps < 1 || dimension < 1) {
      throw new IllegalArgumentException(
          "channels, classes, steps, dimension: expected >= 1, >= 2, >= 1, >= 1, got "
              + channels
              + ", "
              + classes
              + ", "
              + steps
              + ", "
              + dimension);
    }
    if (!(smoothness >= 0 && Double.isFinite(smoothness))) {
      throw new IllegalArgumentException("smoothness: expected finite >= 0, got " + smoothness);
    }
    this.channels = channels;
    this.classes = classes;
    this.steps = steps;
    this.dimension = dimension;
    this.smoothness = smoothness;
    this.coefficients = new double[classes * channels * dimension * stride()];
    SplittableRandom random = new SplittableRandom(seed);
    for (int f = 0; f < classes * channels * dimension; f++) {
      int base = f * stride();
      for (int i = 0; i < 3 * MODES; i++) {
        coefficients[base + i] = random.nextDouble();
      }
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int g = 0; g <= GRID; g++) {
        double v = raw(base, g / (double) GRID);
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      coefficients[base + 3 * MODES] = lo;
      coefficients[base + 3 * MODES + 1] = hi > lo ? 1 / (hi - lo) : 0;
    }
  }

  private static int stride() {
    return 3 * MODES + 2;
  }

  private double raw(int base, double u) {
    double v = 0;
    for (int k = 1; k <= MODES; k++) {
      double a = coefficients[base + k - 1];
      double b = coefficients[base + MODES + k - 1];
      double p = coefficients[base + 2 * MODES + k - 1];
      v += Math.pow(k, -smoothness) * a * Math.sin(2 * Math.PI * (k * b * u + p));
    }
    return v;
  }

  public int channels() {
    return channels;
  }

  public int classes() {
    return classes;
  }

  public int steps() {
    return steps;
  }

  /** The point of manifold {@code label} at {@code latent}: one value in [0, 1] per channel. */
  public double[] map(int label, double[] latent) {
    if (label < 0 || label >= classes) {
      throw new IllegalArgumentException("label: expected in [0, " + classes + "), got " + label);
    }
    if (latent.length != dimension) {
      throw new IllegalArgumentException(
          "latent point: expected " + dimension + " coordinates, got " + latent.length);
    }
    double[] out = new double[channels];
    for (int j = 0; j < channels; j++) {
      double m = 1;
      for (int d = 0; d < dimension; d++) {
        int base = ((label * channels + j) * dimension + d) * stride();
        double lo = coefficients[base + 3 * MODES];
        double scale = coefficients[base + 3 * MODES + 1];
        // Off-grid points may overshoot the grid's range by a hair; clamp to keep m in [0, 1].
        m *= Math.min(1, Math.max(0, (raw(base, latent[d]) - lo) * scale));
      }
      out[j] = m;
    }
    return out;
  }

  /** One sequence per label, each at a random latent point drawn from {@code random}. */
  public EventFrames generate(int[] labels, SplittableRandom random) {
    int[][] times = new int[labels.length][];
    int[][] chans = new int[labels.length][];
    double[] latent = new double[dimension];
    long[] keyed = new long[channels];
    for (int b = 0; b < labels.length; b++) {
      for (int d = 0; d < dimension; d++) {
        latent[d] = random.nextDouble();
      }
      double[] m = map(labels[b], latent);
      for (int j = 0; j < channels; j++) {
        long t = Math.min(steps - 1, (long) Math.floor(m[j] * steps));
        keyed[j] = (t << 32) | j;
      }
      // Sorting (step, channel) keys gives the time order EventFrames expects.
      Arrays.sort(keyed);
      times[b] = new int[channels];
      chans[b] = new int[channels];
      for (int j = 0; j < channels; j++) {
        times[b][j] = (int) (keyed[j] >>> 32);
        chans[b][j] = (int) keyed[j];
      }
    }
    return new EventFrames(steps, channels, times, chans, labels);
  }

  /**
   * {@code samplesPerClass} sequences of every class in a random order, cut into batches of {@code
   * batch} (the total must be a multiple), deterministic from {@code seed}.
   */
  public List<EventFrames> batches(int samplesPerClass, int batch, long seed) {
    int total = samplesPerClass * classes;
    if (samplesPerClass < 1 || batch < 1 || total % batch != 0) {
      throw new IllegalArgumentException(
          "samples: expected a positive number per class whose total ("
              + classes
              + " classes x "
              + samplesPerClass
              + " = "
              + total
              + ") is a multiple of the batch size "
              + batch);
    }
    SplittableRandom random = new SplittableRandom(seed);
    int[] labels = new int[total];
    for (int i = 0; i < total; i++) {
      labels[i] = i % classes;
    }
    for (int i = total - 1; i > 0; i--) {
      int k = random.nextInt(i + 1);
      int swap = labels[i];
      labels[i] = labels[k];
      labels[k] = swap;
    }
    List<EventFrames> out = new ArrayList<>();
    for (int from = 0; from < total; from += batch) {
      out.add(generate(Arrays.copyOfRange(labels, from, from + batch), random));
    }
    return out;
  }
}
