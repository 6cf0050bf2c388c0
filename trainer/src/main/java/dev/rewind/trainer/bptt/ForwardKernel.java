package dev.rewind.trainer.bptt;

import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.Surrogate;

/**
 * The forward step of a LIF network (MODEL_SPEC.md) for a fixed batch, with the scratch it needs.
 * Each layer is one round of a {@link WorkerTeam} over neuron ranges: a range's currents, membrane
 * potentials, spikes and surrogate derivatives are computed for every batch row; the ranges' spikes
 * are then joined in neuron order on the calling thread. Products with spike vectors are
 * event-driven over the transposed weights. Allocates nothing per step.
 */
final class ForwardKernel {
  private final LifWeights w;
  private final int batch;
  private final Surrogate surrogate;
  private final StepInputs inputs;
  private final int parts;
  private final float[][] current;
  private final float[][] membrane;
  private final float[][] derivative;
  private final int[][] spikes;
  private final int[][] spikeCounts;
  private final int[][] surrogateIndex;
  private final float[][] surrogateValue;
  private final int[][] surrogateCounts;
  private final float[] readout;
  private final WorkerTeam.Part layerPart = this::layerPart;

  private NetworkState state;
  private TapeStep rec;
  private int layer;
  private int roundParts;

  ForwardKernel(LifWeights weights, int batch, int parts) {
    this.w = weights;
    this.batch = batch;
    this.parts = parts;
    this.surrogate = weights.config.surrogate();
    this.inputs = new StepInputs(batch, weights.config.inputSize());
    int cells = batch * weights.maxWidth;
    current = new float[parts][weights.maxWidth];
    membrane = new float[parts][weights.maxWidth];
    derivative = new float[parts][weights.maxWidth];
    spikes = new int[parts][cells];
    spikeCounts = new int[parts][batch];
    surrogateIndex = new int[parts][weights.sparse ? cells : 0];
    surrogateValue = new float[parts][weights.sparse ? cells : 0];
    surrogateCounts = new int[parts][batch];
    readout = new float[weights.classes];
  }

  /** Step t from {@code state} (at step t); records it into {@code rec} when not null. */
  void step(NetworkState state, int t, FrameSource frames, TapeStep rec, WorkerTeam team) {
    inputs.fill(frames, t);
    this.state = state;
    this.rec = rec;
    roundParts = team == null ? 1 : team.parts();
    for (int l = 0; l < w.depth; l++) {
      layer = l;
      if (team == null) {
        layerPart(0);
      } else {
        team.run(layerPart);
      }
      join(l);
    }
    readoutStep();
    this.state = null;
    this.rec = null;
  }

  private void layerPart(int part) {
    int l = layer;
    int n = w.width[l];
    int nIn = w.inWidth[l];
    int i0 = NeuronSplit.from(n, part, roundParts);
    int i1 = NeuronSplit.to(n, part, roundParts);
    float[] v = state.membrane(l);
    int[] counts = state.spikeCounts(l);
    int[] previous = state.spikeIndices(l);
    int[] belowCounts = l > 0 ? state.spikeCounts(l - 1) : null;
    int[] belowSpikes = l > 0 ? state.spikeIndices(l - 1) : null;
    float[][] wT = w.inputT[l];
    float[][] rT = w.recurrentT[l];
    float b0 = w.beta[l];
    float lk = w.leak[l];
    float theta = w.theta;
    float[] cur = current[part];
    int[] out = spikes[part];
    float[] sd = rec != null && !w.sparse ? rec.surrogateDense(l) : null;
    for (int b = 0; b < batch; b++) {
      System.arraycopy(w.bias[l], i0, cur, i0, i1 - i0);
      if (l == 0) {
        int[] idx = inputs.index;
        float[] val = inputs.value;
        int eo = b * inputs.channels;
        for (int k = eo; k < eo + inputs.count[b]; k++) {
          float[] wk = wT[idx[k]];
          float x = val[k];
          if (x == 1f) {
            for (int i = i0; i < i1; i++) {
              cur[i] += wk[i];
            }
          } else {
            for (int i = i0; i < i1; i++) {
              cur[i] += x * wk[i];
            }
          }
        }
      } else {
        int bo = b * nIn;
        for (int k = bo; k < bo + belowCounts[b]; k++) {
          float[] wk = wT[belowSpikes[k]];
          for (int i = i0; i < i1; i++) {
            cur[i] += wk[i];
          }
        }
      }
      int po = b * n;
      int prev = counts[b];
      if (w.recurrent[l]) {
        for (int k = po; k < po + prev; k++) {
          float[] r = rT[previous[k]];
          for (int i = i0; i < i1; i++) {
            cur[i] += r[i];
          }
        }
      }
      // Row copies: C2 vectorises loops over arrays at the same index, not at an offset.
      float[] vb = membrane[part];
      System.arraycopy(v, po + i0, vb, i0, i1 - i0);
      for (int i = i0; i < i1; i++) {
        vb[i] = b0 * vb[i] + lk * cur[i];
      }
      for (int k = po; k < po + prev; k++) {
        int i = previous[k];
        if (i >= i0 && i < i1) {
          vb[i] -= theta;
        }
      }
      System.arraycopy(vb, i0, v, po + i0, i1 - i0);
      int s = 0;
      for (int i = i0; i < i1; i++) {
        if (vb[i] > theta) {
          out[po + s++] = i;
        }
      }
      spikeCounts[part][b] = s;
      if (rec != null) {
        if (w.sparse) {
          recordSparse(part, b, po, vb, i0, i1);
        } else {
          float[] d = derivative[part];
          for (int i = i0; i < i1; i++) {
            d[i] = surrogate.derivative(vb[i], theta);
          }
          System.arraycopy(d, i0, sd, po + i0, i1 - i0);
        }
      }
    }
  }

  private void recordSparse(int part, int b, int po, float[] vb, int i0, int i1) {
    int[] si = surrogateIndex[part];
    float[] sv = surrogateValue[part];
    int c = po;
    for (int i = i0; i < i1; i++) {
      float d = surrogate.derivative(vb[i], w.theta);
      if (d != 0f) {
        si[c] = i;
        sv[c] = d;
        c++;
      }
    }
    surrogateCounts[part][b] = c - po;
  }

  /** Writes the ranges' spikes (and sparse surrogates) in neuron order: state, then tape. */
  private void join(int l) {
    int n = w.width[l];
    int[] counts = state.spikeCounts(l);
    int[] joined = state.spikeIndices(l);
    int spikeUsed = 0;
    int surUsed = 0;
    for (int b = 0; b < batch; b++) {
      int po = b * n;
      int s = 0;
      for (int p = 0; p < roundParts; p++) {
        int c = spikeCounts[p][b];
        System.arraycopy(spikes[p], po, joined, po + s, c);
        s += c;
      }
      counts[b] = s;
      if (rec == null) {
        continue;
      }
      rec.spikeOffsets(l)[b] = spikeUsed;
      int[] dst = rec.reserveSpikes(l, spikeUsed, s);
      System.arraycopy(joined, po, dst, spikeUsed, s);
      spikeUsed += s;
      if (w.sparse) {
        rec.surrogateOffsets(l)[b] = surUsed;
        rec.reserveSurrogate(l, surUsed, n);
        int[] si = rec.surrogateIndices(l);
        float[] sv = rec.surrogateValues(l);
        for (int p = 0; p < roundParts; p++) {
          int c = surrogateCounts[p][b];
          System.arraycopy(surrogateIndex[p], po, si, surUsed, c);
          System.arraycopy(surrogateValue[p], po, sv, surUsed, c);
          surUsed += c;
        }
      }
    }
    if (rec != null) {
      rec.spikeOffsets(l)[batch] = spikeUsed;
      if (w.sparse) {
        rec.surrogateOffsets(l)[batch] = surUsed;
      }
    }
  }

  private void readoutStep() {
    int top = w.depth - 1;
    int n = w.width[top];
    int classes = w.classes;
    int[] counts = state.spikeCounts(top);
    int[] topSpikes = state.spikeIndices(top);
    float[] u = state.readout();
    float[] sum = state.readoutSum();
    float[] z = readout;
    for (int b = 0; b < batch; b++) {
      System.arraycopy(w.readoutBias, 0, z, 0, classes);
      for (int k = 0; k < counts[b]; k++) {
        int base = topSpikes[b * n + k] * classes;
        for (int c = 0; c < classes; c++) {
          z[c] += w.readoutT[base + c];
        }
      }
      int o = b * classes;
      for (int c = 0; c < classes; c++) {
        u[o + c] = w.betaOut * u[o + c] + w.leakOut * z[c];
        sum[o + c] += u[o + c];
      }
    }
  }
}
