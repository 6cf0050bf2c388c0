package dev.rewind.trainer.bptt;

import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.ModelConfig;

/**
 * A per-step loss head's sums over one batch (MODEL_SPEC v2), and each step's loss seed dL/du_t.
 * Under {@code per-step}: the cross-entropy of u_t against y_t at every labelled (b, t), the right
 * predictions among them, seed (softmax(u_t) - onehot(y_t)) / N, N the labelled steps of the whole
 * batch. Under {@code regression}: (u_t[c] - z_t[c])^2 / 2 at every targeted (b, t, c), seed
 * (u_t[c] - z_t[c]) / N, N the targeted components of the whole batch, and no predictions to count.
 * A backward sweep visits every step once in descending order whatever the schedule, so sums taken
 * there are the same for every schedule.
 */
public final class StepLoss {
  private final boolean regression;
  private final int classes;
  private final double[] probabilities;
  private int targets;
  private double lossSum;
  private int correct;

  /** The step loss of {@code config}'s head, which must be per-step or regression. */
  public StepLoss(ModelConfig config) {
    if (!config.loss().perStep()) {
      throw new IllegalArgumentException(
          "step loss: expected a per-step or regression head, got loss " + config.loss());
    }
    this.regression = config.loss().regression();
    this.classes = config.classes();
    this.probabilities = new double[classes];
  }

  /**
   * Counts the scored targets of {@code frames} (N) and clears the sums; throws
   * IllegalArgumentException as {@link #count} does.
   */
  public void begin(FrameSource frames) {
    targets = count(frames);
    lossSum = 0;
    correct = 0;
  }

  /**
   * For a time segment {@code frames} of a longer batch: checks its targets as {@link #begin} does,
   * and goes on from {@code sums}, the whole batch's N and what the segments after it summed.
   */
  public void resume(FrameSource frames, StepLossSums sums) {
    count(frames);
    targets = sums.targets();
    lossSum = sums.loss();
    correct = sums.correct();
  }

  /**
   * The scored targets of {@code frames}: its labelled steps under per-step, its non-NaN target
   * components under regression. Throws IllegalArgumentException when the frames carry no per-step
   * labels (targets of width C), or naming the first sequence and step whose label is neither -1
   * nor in [0, C).
   */
  public int count(FrameSource frames) {
    return regression ? countTargets(frames) : countLabels(frames);
  }

  private int countLabels(FrameSource frames) {
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

  private int countTargets(FrameSource frames) {
    if (frames.targetWidth() != classes) {
      throw new IllegalArgumentException(
          "loss regression: expected a target vector of the model's "
              + classes
              + " outputs at every step, got "
              + (frames.targetWidth() == 0
                  ? "one label per sequence"
                  : "targets of width " + frames.targetWidth()));
    }
    int n = 0;
    for (int b = 0; b < frames.batchSize(); b++) {
      for (int t = 0; t < frames.steps(); t++) {
        for (int c = 0; c < classes; c++) {
          n += Float.isNaN(frames.stepTarget(b, t, c)) ? 0 : 1;
        }
      }
    }
    return n;
  }

  /**
   * Adds the loss of the readout {@code u[o .. o + C)} at step {@code t} of sequence {@code b} of
   * {@code frames} and returns true, or returns false where that step has no target. With a {@code
   * seed}, writes the step's seed into {@code seed[o .. o + C)} (0 for a component without a
   * target) when it returns true, and leaves it as it was otherwise.
   */
  boolean add(float[] u, int o, FrameSource frames, int b, int t, float[] seed) {
    if (regression) {
      return addSquaredError(u, o, frames, b, t, seed);
    }
    int y = frames.stepLabel(b, t);
    if (y < 0) {
      return false;
    }
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
    return true;
  }

  private boolean addSquaredError(
      float[] u, int o, FrameSource frames, int b, int t, float[] seed) {
    boolean targeted = false;
    for (int c = 0; c < classes; c++) {
      float z = frames.stepTarget(b, t, c);
      if (Float.isNaN(z)) {
        continue;
      }
      if (!targeted && seed != null) {
        java.util.Arrays.fill(seed, o, o + classes, 0f);
      }
      targeted = true;
      double d = (double) u[o + c] - z;
      lossSum += 0.5 * d * d;
      if (seed != null) {
        seed[o + c] = (float) (d / targets);
      }
    }
    return targeted;
  }

  /** The scored targets N of the batch. */
  public int targets() {
    return targets;
  }

  /** N and the sums so far, to hand the segment before this one. */
  public StepLossSums sums() {
    return new StepLossSums(targets, lossSum, correct);
  }

  /**
   * The mean loss over the N scored targets (0 when there are none), with the right predictions
   * under per-step; regression has no predictions, so its {@code correct}, and accuracy, are 0.
   */
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
