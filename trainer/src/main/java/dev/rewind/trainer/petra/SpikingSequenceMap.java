package dev.rewind.trainer.petra;

import dev.rewind.trainer.model.Surrogate;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A spiking sequence layer with real-valued outputs, the F and G of a {@link ReversibleBlock}: a
 * LIF layer (MODEL_SPEC.md) driven by real inputs, then a linear map of its spikes. For every step
 * t and sequence b:
 *
 * <pre>
 *   c_t = W x_t + R s_{t-1} + b          (R only when recurrent)
 *   v_t = beta v_{t-1} + (1 - beta) c_t - theta s_{t-1}     (reset detached)
 *   s_t = H(v_t - theta)                  (surrogate derivative in the backward pass)
 *   y_t = A s_t + a
 * </pre>
 *
 * <p>The map holds no parameters: they live in a caller's float array at an offset, laid out as W
 * [hidden][in] row-major, then (when recurrent) R by presynaptic neuron ([pre][post], i.e. R
 * transposed), then b [hidden], then A by spiking neuron ([hidden][out], A transposed), then a
 * [out]. Gradients use the same layout. Spike-driven sums (R s, A s and their weight gradients) run
 * over spiking neurons only. Instances are immutable and thread-safe; each call allocates its own
 * scratch.
 */
public final class SpikingSequenceMap {
  private final SequenceMapConfig config;
  private final int in;
  private final int hidden;
  private final int out;
  private final int recurrentOffset;
  private final int biasOffset;
  private final int readOffset;
  private final int readBiasOffset;
  private final int parameterCount;

  public SpikingSequenceMap(SequenceMapConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.in = config.inputWidth();
    this.hidden = config.hidden();
    this.out = config.outputWidth();
    this.recurrentOffset = hidden * in;
    this.biasOffset = recurrentOffset + (config.recurrent() ? hidden * hidden : 0);
    this.readOffset = biasOffset + hidden;
    this.readBiasOffset = readOffset + hidden * out;
    this.parameterCount = readBiasOffset + out;
  }

  public SequenceMapConfig config() {
    return config;
  }

  /** Number of parameters this map reads from its slice. */
  public int parameterCount() {
    return parameterCount;
  }

  /**
   * Writes initial parameters into {@code params[offset ..]}: W uniform in +-(inputGain * sqrt(3 /
   * in)), R uniform in +-sqrt(3 / hidden) / 2, A uniform in +-(outputGain * sqrt(3 / hidden)),
   * biases zero.
   */
  public void initialise(
      float[] params, int offset, SplittableRandom random, double inputGain, double outputGain) {
    fill(params, offset, hidden * in, inputGain * Math.sqrt(3.0 / in), random);
    if (config.recurrent()) {
      fill(
          params, offset + recurrentOffset, hidden * hidden, 0.5 * Math.sqrt(3.0 / hidden), random);
    }
    fill(params, offset + readOffset, hidden * out, outputGain * Math.sqrt(3.0 / hidden), random);
  }

  private static void fill(float[] p, int from, int n, double bound, SplittableRandom random) {
    for (int i = 0; i < n; i++) {
      p[from + i] = (float) ((2 * random.nextDouble() - 1) * bound);
    }
  }

  /**
   * Runs the map over all steps and returns y [steps][batch][outputWidth]. When {@code tape} is not
   * null it receives v_t and s_t for the backward pass.
   */
  public SequenceTensor forward(float[] p, int off, SequenceTensor x, SpikeTape tape) {
    requireInput(x);
    if (tape != null) {
      requireTape(x, tape);
    }
    int steps = x.steps();
    int batch = x.batch();
    float beta = (float) config.beta();
    float drive = (float) (1 - config.beta());
    float theta = (float) config.theta();
    float[] xd = x.data();
    float[] v = new float[batch * hidden];
    float[] previous = new float[batch * hidden];
    float[] current = new float[batch * hidden];
    float[] c = new float[hidden];
    int[] spiking = new int[hidden];
    float[] y = new float[steps * batch * out];
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        int xo = (t * batch + b) * in;
        int so = b * hidden;
        for (int i = 0; i < hidden; i++) {
          float sum = p[off + biasOffset + i];
          int wr = off + i * in;
          for (int k = 0; k < in; k++) {
            sum += p[wr + k] * xd[xo + k];
          }
          c[i] = sum;
        }
        if (config.recurrent()) {
          for (int j = 0; j < hidden; j++) {
            if (previous[so + j] > 0) {
              int rr = off + recurrentOffset + j * hidden;
              for (int i = 0; i < hidden; i++) {
                c[i] += p[rr + i];
              }
            }
          }
        }
        int count = 0;
        int ho = (t * batch + b) * hidden;
        for (int i = 0; i < hidden; i++) {
          float vi = beta * v[so + i] + drive * c[i] - theta * previous[so + i];
          v[so + i] = vi;
          float s = vi > theta ? 1f : 0f;
          current[so + i] = s;
          if (s > 0) {
            spiking[count++] = i;
          }
          if (tape != null) {
            tape.potential[ho + i] = vi;
            tape.spikes[ho + i] = s;
          }
        }
        int yo = (t * batch + b) * out;
        System.arraycopy(p, off + readBiasOffset, y, yo, out);
        for (int n = 0; n < count; n++) {
          int ar = off + readOffset + spiking[n] * out;
          for (int o = 0; o < out; o++) {
            y[yo + o] += p[ar + o];
          }
        }
      }
      float[] swap = previous;
      previous = current;
      current = swap;
    }
    return new SequenceTensor(steps, batch, out, y);
  }

  /**
   * Vector-Jacobian product over all steps, with the surrogate derivative for spikes and the reset
   * detached: given the input x, the tape of the forward pass on x and dL/dy, adds dL/dparameters
   * into {@code grads[gradOffset ..]} and returns dL/dx.
   */
  public SequenceTensor backward(
      float[] p,
      int off,
      SequenceTensor x,
      SpikeTape tape,
      SequenceTensor dy,
      float[] grads,
      int gradOffset) {
    requireInput(x);
    requireTape(x, tape);
    int steps = x.steps();
    int batch = x.batch();
    if (dy.steps() != steps || dy.batch() != batch || dy.width() != out) {
      throw new IllegalArgumentException(
          "dy: expected shape [" + steps + "][" + batch + "][" + out + "], got " + dy);
    }
    float beta = (float) config.beta();
    float drive = (float) (1 - config.beta());
    float theta = (float) config.theta();
    Surrogate surrogate = config.surrogate();
    float[] xd = x.data();
    float[] dyd = dy.data();
    float[] dx = new float[steps * batch * in];
    float[] dvNext = new float[batch * hidden];
    float[] dcNext = new float[batch * hidden];
    float[] dcNow = new float[batch * hidden];
    int go = gradOffset;
    for (int t = steps - 1; t >= 0; t--) {
      for (int b = 0; b < batch; b++) {
        int tb = t * batch + b;
        int yo = tb * out;
        int ho = tb * hidden;
        int xo = tb * in;
        int so = b * hidden;
        for (int o = 0; o < out; o++) {
          grads[go + readBiasOffset + o] += dyd[yo + o];
        }
        for (int j = 0; j < hidden; j++) {
          int ar = readOffset + j * out;
          float ds = 0;
          for (int o = 0; o < out; o++) {
            ds += p[off + ar + o] * dyd[yo + o];
          }
          if (config.recurrent()) {
            int rr = off + recurrentOffset + j * hidden;
            for (int i = 0; i < hidden; i++) {
              ds += p[rr + i] * dcNext[so + i];
            }
          }
          if (tape.spikes[ho + j] > 0) {
            for (int o = 0; o < out; o++) {
              grads[go + ar + o] += dyd[yo + o];
            }
          }
          float dv =
              ds * surrogate.derivative(tape.potential[ho + j], theta) + beta * dvNext[so + j];
          dvNext[so + j] = dv;
          dcNow[so + j] = drive * dv;
        }
        for (int i = 0; i < hidden; i++) {
          float dc = dcNow[so + i];
          if (dc == 0f) {
            continue;
          }
          grads[go + biasOffset + i] += dc;
          int wr = i * in;
          for (int k = 0; k < in; k++) {
            grads[go + wr + k] += dc * xd[xo + k];
            dx[xo + k] += p[off + wr + k] * dc;
          }
        }
        if (config.recurrent() && t > 0) {
          int prev = ((t - 1) * batch + b) * hidden;
          for (int j = 0; j < hidden; j++) {
            if (tape.spikes[prev + j] > 0) {
              int rr = go + recurrentOffset + j * hidden;
              for (int i = 0; i < hidden; i++) {
                grads[rr + i] += dcNow[so + i];
              }
            }
          }
        }
      }
      float[] swap = dcNext;
      dcNext = dcNow;
      dcNow = swap;
    }
    return new SequenceTensor(steps, batch, in, dx);
  }

  private void requireInput(SequenceTensor x) {
    if (x.width() != in) {
      throw new IllegalArgumentException("x: expected width " + in + ", got " + x.width());
    }
  }

  private void requireTape(SequenceTensor x, SpikeTape tape) {
    if (tape.steps != x.steps() || tape.batch != x.batch() || tape.hidden != hidden) {
      throw new IllegalArgumentException(
          "tape: expected shape ["
              + x.steps()
              + "]["
              + x.batch()
              + "]["
              + hidden
              + "], got ["
              + tape.steps
              + "]["
              + tape.batch
              + "]["
              + tape.hidden
              + "]");
    }
  }
}
