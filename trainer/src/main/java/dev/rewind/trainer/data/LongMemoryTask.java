package dev.rewind.trainer.data;

import java.util.SplittableRandom;

/**
 * A synthetic task that needs memory over a long delay: sequence b shows a cue of class k1 during
 * steps [0, cueLength), then {@code delay} steps of distractors only, then a recall window of
 * {@code recallWindow} steps in which "go" channels fire together with a probe of class k2; the
 * label is (k1 + k2) mod classes. Distractor spikes (every channel, rate {@code distractorRate} per
 * step) run through the whole sequence with the same statistics for every label.
 *
 * <p>Why the label needs the whole delay: the logits average the readout over all steps, so a
 * network could answer from what it sees early, but nothing before the recall window says anything
 * about the label (k1 alone is independent of it), and at the recall window the label needs k1,
 * seen at least {@code delay} steps earlier. Truncated BPTT with a window shorter than the delay
 * cannot carry the recall-time error back to the cue; full BPTT can.
 *
 * <p>Channels: [0, G * classes) cue groups (group k = G channels, G = channels / (2 classes + 1)
 * rounded down, at least 1), then the probe groups likewise, then the go channels (the rest, at
 * least one). Cue and probe channels fire with probability 0.5 per step. Deterministic from the
 * seed.
 */
public record LongMemoryTask(
    int steps,
    int delay,
    int channels,
    int classes,
    int cueLength,
    double distractorRate,
    int recallWindow) {

  public LongMemoryTask {
    if (classes < 2) {
      throw new IllegalArgumentException("classes: expected >= 2, got " + classes);
    }
    if (channels < 2 * classes + 1) {
      throw new IllegalArgumentException(
          "channels: expected >= 2 * classes + 1 = " + (2 * classes + 1) + ", got " + channels);
    }
    if (cueLength <= 0 || delay < 0 || recallWindow <= 0) {
      throw new IllegalArgumentException(
          "cueLength, delay, recallWindow: expected > 0, >= 0, > 0, got "
              + cueLength
              + ", "
              + delay
              + ", "
              + recallWindow);
    }
    if ((long) cueLength + delay + recallWindow > steps) {
      throw new IllegalArgumentException(
          "steps: expected >= cueLength + delay + recallWindow = "
              + ((long) cueLength + delay + recallWindow)
              + ", got "
              + steps);
    }
    if (!(distractorRate >= 0 && distractorRate < 1)) {
      throw new IllegalArgumentException(
          "distractorRate: expected in [0, 1), got " + distractorRate);
    }
  }

  /** Channels per cue (and probe) group. */
  public int groupSize() {
    return Math.max(1, channels / (2 * classes + 1));
  }

  /** First step of the recall window. */
  public int recallStart() {
    return cueLength + delay;
  }

  /**
   * The batch {@link #generate} makes, for a per-step loss head: each step of the recall window
   * carries the sequence's label, every other step none (-1). The label is what the network must
   * recall at every step of the window, from a cue at least {@code delay} steps back.
   */
  public StepLabelledFrames generateStepLabelled(int batch, long seed) {
    EventFrames frames = generate(batch, seed);
    int[] labels = new int[batch * steps];
    java.util.Arrays.fill(labels, -1);
    for (int b = 0; b < batch; b++) {
      java.util.Arrays.fill(
          labels,
          b * steps + recallStart(),
          b * steps + recallStart() + recallWindow,
          frames.label(b));
    }
    return new StepLabelledFrames(frames, labels);
  }

  /**
   * The batch {@link #generate} makes, for a regression loss head: each step of the recall window
   * has the one-hot code of the sequence's label as its target vector (1 for the cued class, 0 for
   * every other), every other step none (NaN).
   */
  public StepTargetFrames generateStepTargeted(int batch, long seed) {
    EventFrames frames = generate(batch, seed);
    float[] targets = new float[batch * steps * classes];
    java.util.Arrays.fill(targets, Float.NaN);
    for (int b = 0; b < batch; b++) {
      for (int t = recallStart(); t < recallStart() + recallWindow; t++) {
        int cell = (b * steps + t) * classes;
        java.util.Arrays.fill(targets, cell, cell + classes, 0f);
        targets[cell + frames.label(b)] = 1f;
      }
    }
    return new StepTargetFrames(frames, classes, targets);
  }

  /** A batch of {@code batch} sequences, deterministic from {@code seed}. */
  public EventFrames generate(int batch, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int g = groupSize();
    int goFrom = 2 * classes * g;
    int[][] times = new int[batch][];
    int[][] chans = new int[batch][];
    int[] labels = new int[batch];
    int[] t = new int[64];
    int[] c = new int[64];
    for (int b = 0; b < batch; b++) {
      int cue = random.nextInt(classes);
      int probe = random.nextInt(classes);
      labels[b] = (cue + probe) % classes;
      int n = 0;
      for (int s = 0; s < steps; s++) {
        boolean inCue = s < cueLength;
        boolean inRecall = s >= recallStart() && s < recallStart() + recallWindow;
        for (int j = 0; j < channels; j++) {
          boolean fire = random.nextDouble() < distractorRate;
          if (inCue && j >= cue * g && j < (cue + 1) * g) {
            fire |= random.nextDouble() < 0.5;
          }
          if (inRecall) {
            int probeFrom = (classes + probe) * g;
            if (j >= probeFrom && j < probeFrom + g) {
              fire |= random.nextDouble() < 0.5;
            }
            if (j >= goFrom) {
              fire |= random.nextDouble() < 0.5;
            }
          }
          if (fire) {
            if (n == t.length) {
              t = java.util.Arrays.copyOf(t, 2 * n);
              c = java.util.Arrays.copyOf(c, 2 * n);
            }
            t[n] = s;
            c[n] = j;
            n++;
          }
        }
      }
      times[b] = java.util.Arrays.copyOf(t, n);
      chans[b] = java.util.Arrays.copyOf(c, n);
    }
    return new EventFrames(steps, channels, times, chans, labels);
  }
}
