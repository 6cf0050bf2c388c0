package dev.rewind.trainer.bptt;

import dev.rewind.trainer.data.FrameSource;

/**
 * The per-step loss head's sums over one batch (MODEL_SPEC v2): the cross-entropy of u_t against
 * y_t at every labelled (b, t), the right predictions among them, and each step's loss seed dL/du_t
 * = (softmax(u_t) - onehot(y_t)) / N, N the labelled steps of the whole batch. A backward sweep
 * visits every step once in descending order whatever the schedule, so sums taken there are the
 * same for every schedule.
 */
public final class StepLoss {
  private final int classes;
  private final double[] probabilities;
  private int targets;
  private double lossSum;
  private int correct;

  public StepLoss(int classes) {
    this.classes = classes;
    this.probabilities = new double[classes];
  }

  /**
   * Counts the labelled steps of {@code frames} (N) and clears the sums; throws
   * IllegalArgumentException naming the first sequence and step whose label is neither -1 nor in
   * [0, C), or when the frames carry no per-step labels.
   */
  public void begin(FrameSource frames) {
    targets = count(frames);
    lossSum = 0;
    correct = 0;
  }

  /**
   * For a time segment {@code frames} of a longer batch: checks its labels as {@link #begin} does,
   * and goes on from {@code sums}, the whole batch's N and what the segments after it summed.
   */
  public void resume(FrameSource frames, StepLossSums sums) {
    count(frames);
    targets = sums.targets();
    lossSum = sums.loss();
    correct = sums.correct();
  }

  /** The labelled steps of {@code frames}, each label checked as {@link #begin} says. */
  public int count(FrameSource frames) {
    if (!frames.hasStepLabels()) {
      throw new IllegalArgumentException(
          "loss per-step: expected frames with a label at every step, got one label per sequence");
    }
    int n = 0;
    for (int b = 0; b < frames.batchSize(); b++) {
      for (int t = 0; t < frames.steps(); t++) {
        int y = frames.stepLabel(b, t);
        if (y < -1 || y >= classes) {
          throw new IllegalArgumentException(
              "per-step label of sequence "
                  + b
                  + ", step "
                  + t
                  + ": expected in [0, "
                  + classes
                  + ") or -1 (none), got "
                  + y);
        }
        n += y >= 0 ? 1 : 0;
      }
    }
    return n;
  }

  /**
   * Adds the cross-entropy of the readout {@code u[o .. o + C)} against label {@code y} (>= 0) and
   * writes its seed into {@code seed[o .. o + C)} when {@code seed} is not null.
   */
  void add(float[] u, int o, int y, float[] seed) {
    double max = Double.NEGATIVE_INFINITY;
    int best = 0;
    for (int c = 0; c < classes; c++) {
      if (u[o + c] > max) {
        max = u[o + c];
        best = c;
      }
    }
    double z = 0;
    for (int c = 0; c < classes; c++) {
      probabilities[c] = Math.exp(u[o + c] - max);
      z += probabilities[c];
    }
    lossSum += max + Math.log(z) - u[o + y];
    correct += best == y ? 1 : 0;
    if (seed != null) {
      for (int c = 0; c < classes; c++) {
        seed[o + c] = (float) ((probabilities[c] / z - (c == y ? 1 : 0)) / targets);
      }
    }
  }

  /** The labelled steps N of the batch. */
  public int targets() {
    return targets;
  }

  /** N and the sums so far, to hand the segment before this one. */
  public StepLossSums sums() {
    return new StepLossSums(targets, lossSum, correct);
  }

  /** The mean loss over the labelled steps (0 when none are), with the right predictions. */
  public LossResult result() {
    return new LossResult(
        targets == 0 ? 0 : lossSum / targets,
        new float[0],
        new float[0],
        new int[0],
        correct,
        targets);
  }
}
