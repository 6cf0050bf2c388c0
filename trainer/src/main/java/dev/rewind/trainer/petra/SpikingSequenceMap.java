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
   * Runs the map over all steps and returns y [steps][batch][outputWidth]. When {@code record} is
   * not null it receives what the backward pass needs: the whole tape ({@link SpikeTape}) or the
   * state every few steps ({@link StateCheckpoints}).
   */
  public SequenceTensor forward(float[] p, int off, SequenceTensor x, ForwardRecord record) {
    requireInput(x);
    requireRecord(x, record);
    int steps = x.steps();
    int batch = x.batch();
    float[] v = new float[batch * hidden];
    float[] previous = new float[batch * hidden];
    float[] y = new float[steps * batch * out];
    StateCheckpoints checkpoints = record instanceof StateCheckpoints c ? c : null;
    SpikeTape tape = record instanceof SpikeTape t ? t : null;
    advance(p, off, x, 0, steps, v, previous, tape, y, checkpoints);
    return new SequenceTensor(steps, batch, out, y);
  }

  /**
   * Vector-Jacobian product over all steps, with the surrogate derivative for spikes and the reset
   * detached: given the input x, the record of the forward pass on x and dL/dy, adds dL/dparameters
   * into {@code grads[gradOffset ..]} and returns dL/dx. With {@link StateCheckpoints} each segment
   * is recomputed from its checkpoint with a tape, last segment first; the result is bit-identical
   * to the store-all one.
   */
  public SequenceTensor backward(
      float[] p,
      int off,
      SequenceTensor x,
      ForwardRecord record,
      SequenceTensor dy,
      float[] grads,
      int gradOffset) {
    requireInput(x);
    if (record == null) {
      throw new IllegalArgumentException("record: expected the forward pass's record, got null");
    }
    requireRecord(x, record);
    int steps = x.steps();
    int batch = x.batch();
    if (dy.steps() != steps || dy.batch() != batch || dy.width() != out) {
      throw new IllegalArgumentException(
          "dy: expected shape [" + steps + "][" + batch + "][" + out + "], got " + dy);
    }
    float[] dx = new float[steps * batch * in];
    float[] dvNext = new float[batch * hidden];
    float[] dcNext = new float[batch * hidden];
    if (record instanceof SpikeTape tape) {
      reverse(
          p,
          off,
          x,
          0,
          steps,
          tape,
          new float[batch * hidden],
          dy,
          grads,
          gradOffset,
          dvNext,
          dcNext,
          dx);
    } else {
      StateCheckpoints c = (StateCheckpoints) record;
      SpikeTape segment = new SpikeTape(Math.min(c.interval, steps), batch, hidden);
      for (int k = c.count() - 1; k >= 0; k--) {
        int t0 = k * c.interval;
        int t1 = Math.min(steps, t0 + c.interval);
        float[] v = c.potential[k].clone();
        float[] previous = c.previousSpikes[k].clone();
        advance(p, off, x, t0, t1, v, previous, segment, null, null);
        reverse(
            p,
            off,
            x,
            t0,
            t1,
            segment,
            c.previousSpikes[k],
            dy,
            grads,
            gradOffset,
            dvNext,
            dcNext,
            dx);
      }
    }
    return new SequenceTensor(steps, batch, in, dx);
  }

  /**
   * Advances the state (v, previous spikes: updated in place) over steps [t0, t1). Writes y rows
   * when {@code y} is not null, tape entries (at t - t0) when {@code tape} is not null, and the
   * state before every multiple of the interval when {@code checkpoints} is not null.
   */
  private void advance(
      float[] p,
      int off,
      SequenceTensor x,
      int t0,
      int t1,
      float[] v,
      float[] previous,
      SpikeTape tape,
      float[] y,
      StateCheckpoints checkpoints) {
    int batch = x.batch();
    float beta = (float) config.beta();
    float drive = (float) (1 - config.beta());
    float theta = (float) config.theta();
    float[] xd = x.data();
    float[] c = new float[hidden];
    int[] spiking = new int[hidden];
    for (int t = t0; t < t1; t++) {
      if (checkpoints != null && t % checkpoints.interval == 0) {
        checkpoints.save(t, v, previous);
      }
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
        int ho = ((t - t0) * batch + b) * hidden;
        for (int i = 0; i < hidden; i++) {
          // the reset uses s_{t-1}, read before it is overwritten by s_t
          float vi = beta * v[so + i] + drive * c[i] - theta * previous[so + i];
          v[so + i] = vi;
          float s = vi > theta ? 1f : 0f;
          previous[so + i] = s;
          if (s > 0) {
            spiking[count++] = i;
          }
          if (tape != null) {
            tape.potential[ho + i] = vi;
            tape.spikes[ho + i] = s;
          }
        }
        if (y != null) {
          int yo = (t * batch + b) * out;
          System.arraycopy(p, off + readBiasOffset, y, yo, out);
          for (int n = 0; n < count; n++) {
            int ar = off + readOffset + spiking[n] * out;
            for (int o = 0; o < out; o++) {
              y[yo + o] += p[ar + o];
            }
          }
        }
      }
    }
  }

  /**
   * Backward over steps [t0, t1), last first, from the tape of that segment (entries at t - t0) and
   * the spikes before t0. dvNext and dcNext carry the adjoints of step t1 in and of step t0 out; dx
   * and the gradients accumulate.
   */
  private void reverse(
      float[] p,
      int off,
      SequenceTensor x,
      int t0,
      int t1,
      SpikeTape tape,
      float[] spikesBefore,
      SequenceTensor dy,
      float[] grads,
      int go,
      float[] dvNext,
      float[] dcNext,
      float[] dx) {
    int batch = x.batch();
    float beta = (float) config.beta();
    float drive = (float) (1 - config.beta());
    float theta = (float) config.theta();
    Surrogate surrogate = config.surrogate();
    float[] xd = x.data();
    float[] dyd = dy.data();
    float[] dcNow = new float[batch * hidden];
    for (int t = t1 - 1; t >= t0; t--) {
      for (int b = 0; b < batch; b++) {
        int tb = t * batch + b;
        int yo = tb * out;
        int ho = ((t - t0) * batch + b) * hidden;
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
          float[] before = t - 1 >= t0 ? tape.spikes : spikesBefore;
          int prev = t - 1 >= t0 ? ((t - 1 - t0) * batch + b) * hidden : so;
          for (int j = 0; j < hidden; j++) {
            if (before[prev + j] > 0) {
              int rr = go + recurrentOffset + j * hidden;
              for (int i = 0; i < hidden; i++) {
                grads[rr + i] += dcNow[so + i];
              }
            }
          }
        }
      }
      System.arraycopy(dcNow, 0, dcNext, 0, dcNow.length);
    }
  }

  private void requireInput(SequenceTensor x) {
    if (x.width() != in) {
      throw new IllegalArgumentException("x: expected width " + in + ", got " + x.width());
    }
  }

  private void requireRecord(SequenceTensor x, ForwardRecord record) {
    int[] shape;
    if (record instanceof SpikeTape t) {
      shape = new int[] {t.steps, t.batch, t.hidden};
    } else if (record instanceof StateCheckpoints c) {
      shape = new int[] {c.steps, c.batch, c.hidden};
    } else {
      return;
    }
    if (shape[0] != x.steps() || shape[1] != x.batch() || shape[2] != hidden) {
      throw new IllegalArgumentException(
          "record: expected shape ["
              + x.steps()
              + "]["
              + x.batch()
              + "]["
              + hidden
              + "], got ["
              + shape[0]
              + "]["
              + shape[1]
              + "]["
              + shape[2]
              + "]");
    }
  }
}
