package dev.rewind.trainer.bptt;

import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.Surrogate;

/**
 * The forward step of a LIF network (MODEL_SPEC.md) for a fixed batch, with the scratch it needs. A
 * sequence's forward pass never mixes with another's, so a step is one round of a {@link
 * WorkerTeam} over ranges of batch rows: each thread runs every layer and the readout for its rows,
 * with the same code and order whatever its range, so results do not depend on the thread count.
 * The input frames are read and the tape's compact rows joined on the calling thread (a frame
 * source need not be thread-safe). Products with spike vectors are event-driven over the transposed
 * weights. Allocates nothing per step.
 */
final class ForwardKernel {
  private final LifWeights w;
  private final int batch;
  private final Surrogate surrogate;
  private final StepInputs inputs;
  private final float[][] current;
  private final float[][] membrane;
  private final float[][] derivative;
  private final float[][] readout;
  private final float[][] adaptiveThreshold;
  private final int[][] surrogateIndex;
  private final float[][] surrogateValue;
  private final int[][] surrogateCount;
  private final WorkerTeam.Part rowsPart = this::rowsPart;

  private NetworkState state;
  private TapeStep rec;
  private boolean summed;
  private int roundParts;

  ForwardKernel(LifWeights weights, int batch, int parts) {
    this.w = weights;
    this.batch = batch;
    this.surrogate = weights.config.surrogate();
    this.inputs = new StepInputs(batch, weights.config.inputSize());
    int depth = weights.depth;
    current = new float[parts][weights.maxWidth];
    membrane = new float[parts][weights.maxWidth];
    derivative = new float[parts][weights.maxWidth];
    readout = new float[parts][weights.classes];
    adaptiveThreshold = new float[parts][weights.maxWidth];
    surrogateIndex = new int[depth][];
    surrogateValue = new float[depth][];
    surrogateCount = new int[depth][batch];
    for (int l = 0; l < depth; l++) {
      int cells = weights.sparse ? batch * weights.width[l] : 0;
      surrogateIndex[l] = new int[cells];
      surrogateValue[l] = new float[cells];
    }
  }

  /**
   * Step t from {@code state} (at step t); records it into {@code rec} when not null. The new
   * readout is added to the state's running sum when {@code summed}, i.e. in the loss head's
   * window.
   */
  void step(
      NetworkState state,
      int t,
      FrameSource frames,
      TapeStep rec,
      boolean summed,
      WorkerTeam team) {
    inputs.fill(frames, t);
    this.state = state;
    this.rec = rec;
    this.summed = summed;
    if (team == null) {
      roundParts = 1;
      rowsPart(0);
    } else {
      roundParts = team.parts();
      team.run(rowsPart);
    }
    if (rec != null) {
      for (int l = 0; l < w.depth; l++) {
        record(l);
      }
      float[] u = rec.readout();
      System.arraycopy(state.readout(), 0, u, 0, u.length);
    }
    this.state = null;
    this.rec = null;
  }

  private void rowsPart(int part) {
    int b0 = batch * part / roundParts;
    int b1 = batch * (part + 1) / roundParts;
    for (int b = b0; b < b1; b++) {
      for (int l = 0; l < w.depth; l++) {
        layerRow(l, b, part);
      }
      readoutRow(b, readout[part]);
    }
  }

  /** Layer l of batch row b: current, membrane, spikes (into the state) and surrogate. */
  private void layerRow(int l, int b, int part) {
    int n = w.width[l];
    float[] cur = current[part];
    System.arraycopy(w.bias[l], 0, cur, 0, n);
    float[][] wT = w.inputT[l];
    if (l == 0) {
      int eo = b * inputs.channels;
      for (int k = eo; k < eo + inputs.count[b]; k++) {
        float[] wk = wT[inputs.index[k]];
        float x = inputs.value[k];
        if (x == 1f) {
          for (int i = 0; i < n; i++) {
            cur[i] += wk[i];
          }
        } else {
          for (int i = 0; i < n; i++) {
            cur[i] += x * wk[i];
          }
        }
      }
    } else {
      int[] below = state.spikeIndices(l - 1);
      int bo = b * w.inWidth[l];
      addRows(cur, wT, below, bo, bo + state.spikeCounts(l - 1)[b], n);
    }
    int po = b * n;
    int[] counts = state.spikeCounts(l);
    int[] spikes = state.spikeIndices(l);
    int prev = counts[b];
    if (w.recurrent[l]) {
      addRows(cur, w.recurrentT[l], spikes, po, po + prev, n);
    }
    // A row copy: C2 vectorises loops over arrays at the same index, not at an offset.
    float[] vb = membrane[part];
    float[] v = state.membrane(l);
    System.arraycopy(v, po, vb, 0, n);
    if (w.trainTau[l]) {
      membraneWithOwnLeaks(l, po, vb, cur);
    } else {
      float b0 = w.beta[l];
      float lk = w.leak[l];
      for (int i = 0; i < n; i++) {
        vb[i] = b0 * vb[i] + lk * cur[i];
      }
    }
    float theta = w.theta;
    if (w.adaptive[l]) {
      adaptiveSpikes(l, b, part, vb, spikes, counts, prev);
      return;
    }
    for (int k = po; k < po + prev; k++) {
      vb[spikes[k]] -= theta;
    }
    System.arraycopy(vb, 0, v, po, n);
    int s = 0;
    for (int i = 0; i < n; i++) {
      if (vb[i] > theta) {
        spikes[po + s++] = i;
      }
    }
    counts[b] = s;
    if (rec != null) {
      recordSurrogate(l, b, part, vb, null);
    }
  }

  /**
   * cur[0, n) += rows[index[k]] for k in [from, to), in that order. Four rows share one pass over
   * cur: each element adds them left to right as one row a pass would, so the same bits, with a
   * quarter of cur's loads and stores.
   */
  static void addRows(float[] cur, float[][] rows, int[] index, int from, int to, int n) {
    int k = from;
    for (; k + 4 <= to; k += 4) {
      float[] a = rows[index[k]];
      float[] b = rows[index[k + 1]];
      float[] c = rows[index[k + 2]];
      float[] d = rows[index[k + 3]];
      for (int i = 0; i < n; i++) {
        cur[i] = cur[i] + a[i] + b[i] + c[i] + d[i];
      }
    }
    for (; k < to; k++) {
      float[] a = rows[index[k]];
      for (int i = 0; i < n; i++) {
        cur[i] += a[i];
      }
    }
  }

  /**
   * v_t = beta_i v_{t-1} + (1 - beta_i) c_t with each neuron's own leak, taping v_{t-1} - c_t (d
   * v_t / d beta_i) when recording.
   */
  private void membraneWithOwnLeaks(int l, int po, float[] vb, float[] cur) {
    int n = w.width[l];
    float[] nb = w.neuronBeta[l];
    float[] nl = w.neuronLeak[l];
    if (rec != null) {
      float[] term = rec.membraneLeakTerm(l);
      for (int i = 0; i < n; i++) {
        term[po + i] = vb[i] - cur[i];
      }
    }
    for (int i = 0; i < n; i++) {
      vb[i] = nb[i] * vb[i] + nl[i] * cur[i];
    }
  }

  /**
   * An ALIF layer's row after the leak (MODEL_SPEC v2): the adaptation a_t = rho a_{t-1} + (1 -
   * rho) s_{t-1}, the threshold A_t = theta + kappa a_t, the reset by A_t of the neurons that
   * spiked at t-1, the spikes where v_t > A_t, and the surrogate at v_t - A_t.
   */
  private void adaptiveSpikes(
      int l, int b, int part, float[] vb, int[] spikes, int[] counts, int prev) {
    int n = w.width[l];
    int po = b * n;
    float[] a = state.adaptation(l);
    float[] threshold = adaptiveThreshold[part];
    float kappa = w.kappa[l];
    if (w.trainTau[l]) {
      adaptationWithOwnLeaks(l, po, a, spikes, prev);
    } else {
      float rho = w.rho[l];
      for (int i = 0; i < n; i++) {
        a[po + i] = rho * a[po + i];
      }
      float rl = w.rhoLeak[l];
      for (int k = po; k < po + prev; k++) {
        a[po + spikes[k]] += rl;
      }
    }
    for (int i = 0; i < n; i++) {
      threshold[i] = w.theta + kappa * a[po + i];
    }
    for (int k = po; k < po + prev; k++) {
      vb[spikes[k]] -= threshold[spikes[k]];
    }
    System.arraycopy(vb, 0, state.membrane(l), po, n);
    int s = 0;
    for (int i = 0; i < n; i++) {
      if (vb[i] > threshold[i]) {
        spikes[po + s++] = i;
      }
    }
    counts[b] = s;
    if (rec != null) {
      recordSurrogate(l, b, part, vb, threshold);
    }
  }

  /**
   * a_t = rho_i a_{t-1} + (1 - rho_i) s_{t-1} with each neuron's own decay, taping a_{t-1} -
   * s_{t-1} (d a_t / d rho_i) when recording.
   */
  private void adaptationWithOwnLeaks(int l, int po, float[] a, int[] spikes, int prev) {
    int n = w.width[l];
    if (rec != null) {
      float[] term = rec.adaptationLeakTerm(l);
      System.arraycopy(a, po, term, po, n);
      for (int k = po; k < po + prev; k++) {
        term[po + spikes[k]] -= 1f;
      }
    }
    float[] nr = w.neuronRho[l];
    float[] nrl = w.neuronRhoLeak[l];
    for (int i = 0; i < n; i++) {
      a[po + i] = nr[i] * a[po + i];
    }
    for (int k = po; k < po + prev; k++) {
      a[po + spikes[k]] += nrl[spikes[k]];
    }
  }

  /**
   * Layer l's surrogate derivatives of row b at the membrane {@code vb}, against theta ({@code
   * threshold} null) or each neuron's threshold: its non-zero entries for a compact-support
   * surrogate, else the dense row into the tape.
   */
  private void recordSurrogate(int l, int b, int part, float[] vb, float[] threshold) {
    int n = w.width[l];
    int po = b * n;
    float theta = w.theta;
    if (w.sparse) {
      int[] si = surrogateIndex[l];
      float[] sv = surrogateValue[l];
      int c = po;
      for (int i = 0; i < n; i++) {
        float d = surrogate.derivative(vb[i], threshold == null ? theta : threshold[i]);
        if (d != 0f) {
          si[c] = i;
          sv[c] = d;
          c++;
        }
      }
      surrogateCount[l][b] = c - po;
    } else {
      float[] d = derivative[part];
      for (int i = 0; i < n; i++) {
        d[i] = surrogate.derivative(vb[i], threshold == null ? theta : threshold[i]);
      }
      System.arraycopy(d, 0, rec.surrogateDense(l), po, n);
    }
  }

  private void readoutRow(int b, float[] z) {
    int top = w.depth - 1;
    int n = w.width[top];
    int classes = w.classes;
    int[] topSpikes = state.spikeIndices(top);
    System.arraycopy(w.readoutBias, 0, z, 0, classes);
    for (int k = b * n; k < b * n + state.spikeCounts(top)[b]; k++) {
      int base = topSpikes[k] * classes;
      for (int c = 0; c < classes; c++) {
        z[c] += w.readoutT[base + c];
      }
    }
    float[] u = state.readout();
    float[] sum = state.readoutSum();
    int o = b * classes;
    if (w.classSlope != null && rec != null) {
      float[] term = rec.readoutLeakTerm();
      for (int c = 0; c < classes; c++) {
        term[o + c] = u[o + c] - z[c];
      }
    }
    for (int c = 0; c < classes; c++) {
      u[o + c] = w.classBeta[c] * u[o + c] + w.classLeak[c] * z[c];
    }
    if (summed) {
      for (int c = 0; c < classes; c++) {
        sum[o + c] += u[o + c];
      }
    }
  }

  /** Layer l's spikes (and sparse surrogate) of every row into the tape's compact rows. */
  private void record(int l) {
    int n = w.width[l];
    int[] counts = state.spikeCounts(l);
    int[] spikes = state.spikeIndices(l);
    int spikeUsed = 0;
    int surUsed = 0;
    for (int b = 0; b < batch; b++) {
      int po = b * n;
      rec.spikeOffsets(l)[b] = spikeUsed;
      int[] dst = rec.reserveSpikes(l, spikeUsed, counts[b]);
      System.arraycopy(spikes, po, dst, spikeUsed, counts[b]);
      spikeUsed += counts[b];
      if (w.sparse) {
        rec.surrogateOffsets(l)[b] = surUsed;
        rec.reserveSurrogate(l, surUsed, n);
        int c = surrogateCount[l][b];
        System.arraycopy(surrogateIndex[l], po, rec.surrogateIndices(l), surUsed, c);
        System.arraycopy(surrogateValue[l], po, rec.surrogateValues(l), surUsed, c);
        surUsed += c;
      }
    }
    rec.spikeOffsets(l)[batch] = spikeUsed;
    if (w.sparse) {
      rec.surrogateOffsets(l)[batch] = surUsed;
    }
  }
}
