package dev.rewind.trainer.data;

import java.util.Arrays;

/**
 * Frames given as events, the way neuromorphic recordings store them: per sequence b, {@code
 * times[b][k]} (non-decreasing, in [0, steps)) and {@code channels[b][k]} (in [0, channels)). The
 * frame value of a channel at a step is its number of events there (1 for a plain spike).
 */
public final class EventFrames extends LabelledFrames {
  private final int[] offsets;
  private final int[] active;
  private final float[] counts;

  /** Validates and indexes the events; the input arrays are not retained. */
  public EventFrames(int steps, int channels, int[][] times, int[][] eventChannels, int[] labels) {
    super(times.length, steps, channels, labels);
    checkIndexable(batch, steps);
    if (eventChannels.length != batch) {
      throw new IllegalArgumentException(
          "event channels: expected " + batch + " sequences, got " + eventChannels.length);
    }
    int total = 0;
    for (int b = 0; b < batch; b++) {
      check(b, times[b], eventChannels[b]);
      total += times[b].length;
    }
    this.offsets = new int[batch * steps + 1];
    int[] idx = new int[total];
    float[] cnt = new float[total];
    int n = 0;
    int[] scratch = new int[channels];
    for (int b = 0; b < batch; b++) {
      int k = 0;
      int[] tb = times[b];
      for (int t = 0; t < steps; t++) {
        offsets[b * steps + t] = n;
        int m = 0;
        while (k < tb.length && tb[k] == t) {
          if (m == scratch.length) {
            scratch = Arrays.copyOf(scratch, 2 * m);
          }
          scratch[m++] = eventChannels[b][k++];
        }
        Arrays.sort(scratch, 0, m);
        for (int i = 0; i < m; i++) {
          if (n > offsets[b * steps + t] && idx[n - 1] == scratch[i]) {
            cnt[n - 1] += 1f;
          } else {
            idx[n] = scratch[i];
            cnt[n] = 1f;
            n++;
          }
        }
      }
    }
    offsets[batch * steps] = n;
    this.active = Arrays.copyOf(idx, n);
    this.counts = Arrays.copyOf(cnt, n);
  }

  private void check(int b, int[] t, int[] c) {
    if (t.length != c.length) {
      throw new IllegalArgumentException(
          "sequence "
              + b
              + ": expected as many channels as times ("
              + t.length
              + "), got "
              + c.length);
    }
    for (int k = 0; k < t.length; k++) {
      if (t[k] < 0 || t[k] >= steps) {
        throw new IllegalArgumentException(
            "sequence "
                + b
                + ", event "
                + k
                + ": expected time in [0, "
                + steps
                + "), got "
                + t[k]);
      }
      if (k > 0 && t[k] < t[k - 1]) {
        throw new IllegalArgumentException(
            "sequence "
                + b
                + ", event "
                + k
                + ": expected times sorted, got "
                + t[k]
                + " after "
                + t[k - 1]);
      }
      if (c[k] < 0 || c[k] >= channels) {
        throw new IllegalArgumentException(
            "sequence "
                + b
                + ", step "
                + t[k]
                + ": expected channel in [0, "
                + channels
                + "), got "
                + c[k]);
      }
    }
  }

  /** Total number of distinct (step, channel) events over the batch. */
  public int activeCount() {
    return active.length;
  }

  @Override
  public int fill(int t, int b, int[] activeOut, float[] valuesOut) {
    int from = offsets[b * steps + t];
    int n = offsets[b * steps + t + 1] - from;
    System.arraycopy(active, from, activeOut, 0, n);
    System.arraycopy(counts, from, valuesOut, 0, n);
    return n;
  }
}
