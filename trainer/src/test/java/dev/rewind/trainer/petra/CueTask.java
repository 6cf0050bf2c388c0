package dev.rewind.trainer.petra;

import dev.rewind.trainer.data.EventFrames;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A small task a unit test can train to convergence in seconds: {@code classes} groups of {@code
 * group} channels; in sequences of class k, group k fires with probability {@code signal} per step
 * and channel, every other channel with probability {@code noise}. Deterministic from the seed.
 */
record CueTask(int steps, int classes, int group, double signal, double noise) {

  int channels() {
    return classes * group;
  }

  EventFrames generate(int batch, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[][] times = new int[batch][];
    int[][] chans = new int[batch][];
    int[] labels = new int[batch];
    for (int b = 0; b < batch; b++) {
      int label = r.nextInt(classes);
      labels[b] = label;
      int[] t = new int[steps * channels()];
      int[] c = new int[steps * channels()];
      int n = 0;
      for (int s = 0; s < steps; s++) {
        for (int ch = 0; ch < channels(); ch++) {
          double p = ch / group == label ? signal : noise;
          if (r.nextDouble() < p) {
            t[n] = s;
            c[n] = ch;
            n++;
          }
        }
      }
      times[b] = Arrays.copyOf(t, n);
      chans[b] = Arrays.copyOf(c, n);
    }
    return new EventFrames(steps, channels(), times, chans, labels);
  }
}
