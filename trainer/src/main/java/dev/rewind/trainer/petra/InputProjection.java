package dev.rewind.trainer.petra;

import dev.rewind.trainer.data.FrameSource;
import java.util.SplittableRandom;

/**
 * The stem: a per-step linear map of the input frames to the two halves of the first coupling
 * block's input, {@code z_t = P x_t + p}, first half = z[0, width), second = z[width, 2 width). It
 * is not reversible, so a stage that holds it keeps its input frames until their backward (PETRA's
 * input buffer). The sum runs over the non-zero channels of each frame only.
 *
 * <p>Parameters: P by input channel ([channels][2 width]), then p [2 width]. Immutable.
 */
final class InputProjection {
  private final int channels;
  private final int width;

  public InputProjection(int channels, int width) {
    if (channels <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "channels, width: expected > 0, got " + channels + ", " + width);
    }
    this.channels = channels;
    this.width = width;
  }

  public int parameterCount() {
    return (channels + 1) * 2 * width;
  }

  /** P uniform in +-(gain * sqrt(3 / channels)), p zero. */
  public void initialise(float[] p, int off, SplittableRandom random, double gain) {
    double bound = gain * Math.sqrt(3.0 / channels);
    for (int i = 0; i < channels * 2 * width; i++) {
      p[off + i] = (float) ((2 * random.nextDouble() - 1) * bound);
    }
  }

  /** The projected frames as an activation of half width {@code width}. */
  public Activation forward(float[] p, int off, FrameSource frames) {
    requireFrames(frames);
    int steps = frames.steps();
    int batch = frames.batchSize();
    float[] first = new float[steps * batch * width];
    float[] second = new float[steps * batch * width];
    int[] active = new int[channels];
    float[] values = new float[channels];
    int biasOff = off + channels * 2 * width;
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        int o = (t * batch + b) * width;
        System.arraycopy(p, biasOff, first, o, width);
        System.arraycopy(p, biasOff + width, second, o, width);
        int n = frames.fill(t, b, active, values);
        for (int e = 0; e < n; e++) {
          int col = off + active[e] * 2 * width;
          float value = values[e];
          for (int i = 0; i < width; i++) {
            first[o + i] += value * p[col + i];
            second[o + i] += value * p[col + width + i];
          }
        }
      }
    }
    return new Activation(
        new SequenceTensor(steps, batch, width, first),
        new SequenceTensor(steps, batch, width, second));
  }

  /** Adds dL/dP and dL/dp for output gradient {@code dz} into {@code grads[goff ..]}. */
  public void backward(FrameSource frames, Activation dz, float[] grads, int goff) {
    requireFrames(frames);
    int steps = frames.steps();
    int batch = frames.batchSize();
    int[] active = new int[channels];
    float[] values = new float[channels];
    float[] d1 = dz.first().data();
    float[] d2 = dz.second().data();
    int biasOff = goff + channels * 2 * width;
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        int o = (t * batch + b) * width;
        for (int i = 0; i < width; i++) {
          grads[biasOff + i] += d1[o + i];
          grads[biasOff + width + i] += d2[o + i];
        }
        int n = frames.fill(t, b, active, values);
        for (int e = 0; e < n; e++) {
          int col = goff + active[e] * 2 * width;
          float value = values[e];
          for (int i = 0; i < width; i++) {
            grads[col + i] += value * d1[o + i];
            grads[col + width + i] += value * d2[o + i];
          }
        }
      }
    }
  }

  /** Bytes of the frames as dense floats: what the input buffer holds per micro-batch, at most. */
  public static long frameBytes(FrameSource frames) {
    return 4L * frames.steps() * frames.batchSize() * frames.channels();
  }

  private void requireFrames(FrameSource frames) {
    if (frames.channels() != channels) {
      throw new IllegalArgumentException(
          "frames: expected " + channels + " channels, got " + frames.channels());
    }
  }
}
