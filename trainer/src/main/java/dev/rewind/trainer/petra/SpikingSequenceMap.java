package dev.rewind.trainer.petra;

import dev.rewind.trainer.internal.runner.ScheduleRunner;
import dev.rewind.trainer.model.Surrogate;
import dev.rewind.trainer.schedule.Schedule;
import java.io.IOException;
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
 * over spiking neurons only. The backward runs over a whole tape ({@link SpikeTape}, store-all) or
 * under any checkpoint schedule ({@link ScheduledRecord}, checkpoints in memory or off-chip), with
 * the same per-step kernels, so both give the same bits. Instances are immutable and thread-safe;
 * each call allocates its own scratch.
 */
final class SpikingSequenceMap {
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
   * null it receives what the store-all backward pass needs (v_t and s_t of every step).
   */
  public SequenceTensor forward(float[] p, int off, SequenceTensor x, SpikeTape tape) {
    requireInput(x);
    if (tape != null) {
      requireTape(x, tape);
    }
    int steps = x.steps();
    int batch = x.batch();
    float[] v = new float[batch * hidden];
    float[] previous = new float[batch * hidden];
    float[] y = new float[steps * batch * out];
    Scratch scratch = new Scratch(hidden);
    int entry = batch * hidden;
    for (int t = 0; t < steps; t++) {
      if (tape == null) {
        step(p, off, x, t, v, previous, null, null, 0, y, scratch);
      } else {
        step(p, off, x, t, v, previous, tape.potential, tape.spikes, t * entry, y, scratch);
      }
    }
    return new SequenceTensor(steps, batch, out, y);
  }

  /**
   * The forward pass on {@code x} run by a checkpoint schedule: the schedule's forward sweep
   * computes y and keeps what the schedule says (checkpoints in memory or off-chip, tape), then
   * pauses; {@link #backward} with the returned record runs the schedule's backward sweep. The
   * gradients are bit-identical to {@link #forward} with a {@link SpikeTape} and {@link #backward}
   * on it, for every valid schedule.
   *
   * @param schedule a schedule of {@code x.steps()} steps
   * @param runner interprets the schedule and holds the off-chip store
   */
  public ScheduledRecord forward(
      float[] p, int off, SequenceTensor x, Schedule schedule, ScheduleRunner runner)
      throws IOException {
    requireInput(x);
    MapSteps system = new MapSteps(this, p, off, x);
    ScheduleRunner.Pass pass = runner.start(system, schedule);
    return new ScheduledRecord(system, pass);
  }

  /**
   * Vector-Jacobian product over all steps, with the surrogate derivative for spikes and the reset
   * detached: given the input x, the whole tape of the forward pass on x and dL/dy, adds
   * dL/dparameters into {@code grads[gradOffset ..]} and returns dL/dx.
   */
  public SequenceTensor backward(
      float[] p,
      int off,
      SequenceTensor x,
      SpikeTape tape,
      SequenceTensor dy,
      float[] grads,
      int gradOffset) {
    requireBackward(x, tape, dy);
    int steps = x.steps();
    int batch = x.batch();
    requireTape(x, tape);
    float[] dx = new float[steps * batch * in];
    Adjoint adjoint = new Adjoint(batch * hidden);
    int entry = batch * hidden;
    for (int t = steps - 1; t >= 0; t--) {
      int before = t > 0 ? (t - 1) * entry : 0;
      reverseStep(
          p,
          off,
          x,
          t,
          tape.potential,
          tape.spikes,
          t * entry,
          tape.spikes,
          before,
          dy,
          grads,
          gradOffset,
          adjoint,
          dx);
    }
    return new SequenceTensor(steps, batch, in, dx);
  }

  /**
   * The same vector-Jacobian product from a {@link ScheduledRecord}: runs its schedule's backward
   * sweep (once); the record must come from a forward on the same p, off and x. Bit-identical to
   * the whole-tape backward.
   */
  public SequenceTensor backward(
      float[] p,
      int off,
      SequenceTensor x,
      ScheduledRecord record,
      SequenceTensor dy,
      float[] grads,
      int gradOffset)
      throws IOException {
    requireBackward(x, record, dy);
    return record.finish(this, p, off, x, dy, grads, gradOffset);
  }

  private void requireBackward(SequenceTensor x, ForwardRecord record, SequenceTensor dy) {
    requireInput(x);
    if (record == null) {
      throw new IllegalArgumentException("record: expected the forward pass's record, got null");
    }
    if (dy.steps() != x.steps() || dy.batch() != x.batch() || dy.width() != out) {
      throw new IllegalArgumentException(
          "dy: expected shape [" + x.steps() + "][" + x.batch() + "][" + out + "], got " + dy);
    }
  }

  int hidden() {
    return hidden;
  }

  int outputWidth() {
    return out;
  }

  /** Per-call buffers of the forward step. */
  static final class Scratch {
    final float[] c;
    final int[] spiking;

    Scratch(int hidden) {
      this.c = new float[hidden];
      this.spiking = new int[hidden];
    }
  }

  /** The adjoint carried from step t + 1 to step t: dL/dv and dL/dc per (sequence, neuron). */
  static final class Adjoint {
    final float[] dvNext;
    final float[] dcNext;
    final float[] dcNow;

    Adjoint(int size) {
      this.dvNext = new float[size];
      this.dcNext = new float[size];
      this.dcNow = new float[size];
    }
  }

  /**
   * Forward step t for every sequence: updates v and the previous spikes in place; writes v_t and
   * s_t into {@code tapeV}/{@code tapeS} at {@code tapeAt + b * hidden} when they are not null, and
   * the y row of step t when {@code y} is not null.
   */
  void step(
      float[] p,
      int off,
      SequenceTensor x,
      int t,
      float[] v,
      float[] previous,
      float[] tapeV,
      float[] tapeS,
      int tapeAt,
      float[] y,
      Scratch scratch) {
    int batch = x.batch();
    float beta = (float) config.beta();
    float drive = (float) (1 - config.beta());
    float theta = (float) config.theta();
    float[] xd = x.data();
    float[] c = scratch.c;
    int[] spiking = scratch.spiking;
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
      int ho = tapeAt + so;
      for (int i = 0; i < hidden; i++) {
        // the reset uses s_{t-1}, read before it is overwritten by s_t
        float vi = beta * v[so + i] + drive * c[i] - theta * previous[so + i];
        v[so + i] = vi;
        float s = vi > theta ? 1f : 0f;
        previous[so + i] = s;
        if (s > 0) {
          spiking[count++] = i;
        }
        if (tapeV != null) {
          tapeV[ho + i] = vi;
          tapeS[ho + i] = s;
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

  /**
   * Backward step t for every sequence from its tape entry (v_t, s_t at {@code tapeAt + b *
   * hidden}) and the spikes s_{t-1} (at {@code beforeAt + b * hidden} of {@code spikesBefore}, read
   * only when t > 0). Moves the adjoint from step t + 1 to step t; dx and the gradients accumulate.
   */
  void reverseStep(
      float[] p,
      int off,
      SequenceTensor x,
      int t,
      float[] tapeV,
      float[] tapeS,
      int tapeAt,
      float[] spikesBefore,
      int beforeAt,
      SequenceTensor dy,
      float[] grads,
      int go,
      Adjoint adjoint,
      float[] dx) {
    int batch = x.batch();
    float beta = (float) config.beta();
    float drive = (float) (1 - config.beta());
    float theta = (float) config.theta();
    Surrogate surrogate = config.surrogate();
    float[] xd = x.data();
    float[] dyd = dy.data();
    float[] dvNext = adjoint.dvNext;
    float[] dcNext = adjoint.dcNext;
    float[] dcNow = adjoint.dcNow;
    for (int b = 0; b < batch; b++) {
      int tb = t * batch + b;
      int yo = tb * out;
      int so = b * hidden;
      int ho = tapeAt + so;
      int xo = tb * in;
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
        if (tapeS[ho + j] > 0) {
          for (int o = 0; o < out; o++) {
            grads[go + ar + o] += dyd[yo + o];
          }
        }
        float dv = ds * surrogate.derivative(tapeV[ho + j], theta) + beta * dvNext[so + j];
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
        int prev = beforeAt + so;
        for (int j = 0; j < hidden; j++) {
          if (spikesBefore[prev + j] > 0) {
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

  private void requireInput(SequenceTensor x) {
    if (x.width() != in) {
      throw new IllegalArgumentException("x: expected width " + in + ", got " + x.width());
    }
  }

  private void requireTape(SequenceTensor x, SpikeTape t) {
    if (t.steps != x.steps() || t.batch != x.batch() || t.hidden != hidden) {
      throw new IllegalArgumentException(
          "tape: expected shape ["
              + x.steps()
              + "]["
              + x.batch()
              + "]["
              + hidden
              + "], got ["
              + t.steps
              + "]["
              + t.batch
              + "]["
              + t.hidden
              + "]");
    }
  }
}
