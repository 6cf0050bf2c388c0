package dev.rewind.trainer.bptt;

import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.LossSpec;

/**
 * The loss on top of a forward pass: logits = (1/K) sum of u_t over the loss head's window, the
 * last K steps ({@link LossSpec}: all T for the mean head), read from the final state's running
 * sum, which the engine adds to in that window only; loss = mean over the batch of softmax
 * cross-entropy. {@link #seed} turns dL/dlogits into the adjoint of the final state, from which
 * {@link LifEngine#reverse} starts.
 */
public final class LossHead {
  private LossHead() {}

  /** Throws IllegalArgumentException naming the first sequence whose label is not in [0, C). */
  public static void checkLabels(FrameSource frames, int classes) {
    for (int b = 0; b < frames.batchSize(); b++) {
      int label = frames.label(b);
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException(
            "label of sequence " + b + ": expected in [0, " + classes + "), got " + label);
      }
    }
  }

  /** Evaluates the loss of a state that has run all {@code frames.steps()} steps. */
  public static LossResult evaluate(NetworkState state, FrameSource frames, LossSpec head) {
    return evaluate(state, frames, frames.steps(), head);
  }

  /**
   * Evaluates the loss of a state at the end of {@code frames}, the last segment of sequences of
   * {@code totalSteps} steps whose running readout sum the state carries.
   */
  public static LossResult evaluate(
      NetworkState state, FrameSource frames, int totalSteps, LossSpec head) {
    int steps = frames.steps();
    if (state.step() != steps) {
      throw new IllegalArgumentException(
          "loss: expected the state at the last step " + steps + ", got step " + state.step());
    }
    int batch = state.batch();
    int classes = state.classes();
    if (frames.batchSize() != batch) {
      throw new IllegalArgumentException(
          "loss: expected " + batch + " labels, got " + frames.batchSize());
    }
    checkLabels(frames, classes);
    float[] logits = new float[batch * classes];
    float[] grad = new float[batch * classes];
    int[] predictions = new int[batch];
    float[] sum = state.readoutSum();
    float t = head.window(totalSteps);
    double loss = 0;
    int correct = 0;
    for (int b = 0; b < batch; b++) {
      int label = frames.label(b);
      int o = b * classes;
      double max = Double.NEGATIVE_INFINITY;
      int best = 0;
      for (int c = 0; c < classes; c++) {
        logits[o + c] = sum[o + c] / t;
        if (logits[o + c] > max) {
          max = logits[o + c];
          best = c;
        }
      }
      double z = 0;
      for (int c = 0; c < classes; c++) {
        z += Math.exp(logits[o + c] - max);
      }
      double logZ = max + Math.log(z);
      loss += logZ - logits[o + label];
      for (int c = 0; c < classes; c++) {
        double p = Math.exp(logits[o + c] - logZ);
        grad[o + c] = (float) ((p - (c == label ? 1 : 0)) / batch);
      }
      predictions[b] = best;
      if (best == label) {
        correct++;
      }
    }
    return new LossResult(loss / batch, logits, grad, predictions, correct);
  }

  /**
   * Sets {@code adjoint} to the adjoint of the final state at step {@code steps}: nothing carried
   * from the future, and dL/dlogits / K on the running readout sum.
   */
  public static void seed(StateAdjoint adjoint, LossResult result, int steps, LossSpec head) {
    seed(adjoint, result, steps, steps, head);
  }

  /**
   * As {@link #seed(StateAdjoint, LossResult, int, LossSpec)} at step {@code step}, the end of the
   * last segment of sequences of {@code totalSteps} steps.
   */
  public static void seed(
      StateAdjoint adjoint, LossResult result, int step, int totalSteps, LossSpec head) {
    adjoint.reset(step);
    float[] seed = adjoint.readoutSum();
    float[] g = result.logitGradient();
    if (g.length != seed.length) {
      throw new IllegalArgumentException(
          "loss seed: expected " + seed.length + " logit gradients, got " + g.length);
    }
    float t = head.window(totalSteps);
    for (int i = 0; i < seed.length; i++) {
      seed[i] = g[i] / t;
    }
  }
}
