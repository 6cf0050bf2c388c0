package dev.rewind.trainer.petra;

import java.util.SplittableRandom;

/**
 * The head: MODEL_SPEC's leaky readout on the concatenated halves of the last block's output,
 * {@code u_t = beta_o u_{t-1} + (1 - beta_o)(W_o [y1_t; y2_t] + b_o)}, logits = mean over t of u_t,
 * loss = batch mean of softmax cross-entropy. Forward and backward run at once, so it keeps
 * nothing. Parameters: W_o [classes][2 width] row-major, then b_o [classes]. Immutable.
 */
public final class LeakyReadout {
  private final int width;
  private final int classes;
  private final double beta;

  public LeakyReadout(int width, int classes, double beta) {
    if (width <= 0 || classes < 2) {
      throw new IllegalArgumentException(
          "width, classes: expected > 0, >= 2, got " + width + ", " + classes);
    }
    if (!(beta >= 0 && beta < 1)) {
      throw new IllegalArgumentException("readout beta: expected in [0, 1), got " + beta);
    }
    this.width = width;
    this.classes = classes;
    this.beta = beta;
  }

  public int parameterCount() {
    return classes * (2 * width + 1);
  }

  public int classes() {
    return classes;
  }

  /** W_o uniform in +-(gain * sqrt(3 / (2 width))), b_o zero. */
  public void initialise(float[] p, int off, SplittableRandom random, double gain) {
    double bound = gain * Math.sqrt(3.0 / (2 * width));
    for (int i = 0; i < classes * 2 * width; i++) {
      p[off + i] = (float) ((2 * random.nextDouble() - 1) * bound);
    }
  }

  /** Loss and correct count, without gradients. */
  public HeadResult evaluate(float[] p, int off, Activation y, int[] labels) {
    return run(p, off, y, labels, null, 0);
  }

  /** Loss, correct count and dL/dy; adds dL/dW_o, dL/db_o into {@code grads[goff ..]}. */
  public HeadResult forwardBackward(
      float[] p, int off, Activation y, int[] labels, float[] grads, int goff) {
    return run(p, off, y, labels, grads, goff);
  }

  private HeadResult run(float[] p, int off, Activation y, int[] labels, float[] grads, int goff) {
    int steps = y.first().steps();
    int batch = y.first().batch();
    if (y.first().width() != width || labels.length != batch) {
      throw new IllegalArgumentException(
          "readout input: expected width "
              + width
              + " and "
              + batch
              + " labels, got width "
              + y.first().width()
              + " and "
              + labels.length
              + " labels");
    }
    float[] y1 = y.first().data();
    float[] y2 = y.second().data();
    int biasOff = off + classes * 2 * width;
    float decay = (float) beta;
    float drive = (float) (1 - beta);
    float[] u = new float[batch * classes];
    float[] sum = new float[batch * classes];
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        int o = (t * batch + b) * width;
        for (int k = 0; k < classes; k++) {
          float z = p[biasOff + k];
          int row = off + k * 2 * width;
          for (int i = 0; i < width; i++) {
            z += p[row + i] * y1[o + i] + p[row + width + i] * y2[o + i];
          }
          int uk = b * classes + k;
          u[uk] = decay * u[uk] + drive * z;
          sum[uk] += u[uk];
        }
      }
    }
    double loss = 0;
    int correct = 0;
    float[] dLogits = new float[batch * classes];
    for (int b = 0; b < batch; b++) {
      int label = labels[b];
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException(
            "label of sequence " + b + ": expected in [0, " + classes + "), got " + label);
      }
      double max = Double.NEGATIVE_INFINITY;
      int argmax = 0;
      for (int k = 0; k < classes; k++) {
        double logit = sum[b * classes + k] / steps;
        if (logit > max) {
          max = logit;
          argmax = k;
        }
      }
      double z = 0;
      for (int k = 0; k < classes; k++) {
        z += Math.exp(sum[b * classes + k] / steps - max);
      }
      loss += Math.log(z) + max - sum[b * classes + label] / steps;
      correct += argmax == label ? 1 : 0;
      for (int k = 0; k < classes; k++) {
        double softmax = Math.exp(sum[b * classes + k] / steps - max) / z;
        dLogits[b * classes + k] = (float) ((softmax - (k == label ? 1 : 0)) / batch);
      }
    }
    loss /= batch;
    if (grads == null) {
      return new HeadResult(loss, correct, batch, null);
    }
    float[] dy1 = new float[y1.length];
    float[] dy2 = new float[y2.length];
    float[] du = new float[batch * classes];
    for (int t = steps - 1; t >= 0; t--) {
      for (int b = 0; b < batch; b++) {
        int o = (t * batch + b) * width;
        for (int k = 0; k < classes; k++) {
          int uk = b * classes + k;
          du[uk] = dLogits[uk] / steps + decay * du[uk];
          float dz = drive * du[uk];
          grads[goff + classes * 2 * width + k] += dz;
          int row = k * 2 * width;
          for (int i = 0; i < width; i++) {
            grads[goff + row + i] += dz * y1[o + i];
            grads[goff + row + width + i] += dz * y2[o + i];
            dy1[o + i] += p[off + row + i] * dz;
            dy2[o + i] += p[off + row + width + i] * dz;
          }
        }
      }
    }
    Activation dy =
        new Activation(
            new SequenceTensor(steps, batch, width, dy1),
            new SequenceTensor(steps, batch, width, dy2));
    return new HeadResult(loss, correct, batch, dy);
  }

  /**
   * The head's result on one micro-batch.
   *
   * @param inputGradient dL/dy, or null from {@link #evaluate}
   */
  public record HeadResult(double loss, int correct, int batch, Activation inputGradient) {
    public double accuracy() {
      return (double) correct / batch;
    }
  }
}
