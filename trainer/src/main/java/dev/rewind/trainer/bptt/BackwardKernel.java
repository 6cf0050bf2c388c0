package dev.rewind.trainer.bptt;

import dev.rewind.trainer.data.FrameSource;
import java.util.Arrays;

/**
 * The backward step of a LIF network for a fixed batch, with the scratch it needs: it moves a
 * {@link StateAdjoint} from step t + 1 to step t and adds step t's parameter gradients. The readout
 * runs on the calling thread; each layer is then two rounds of a {@link WorkerTeam}: the
 * element-wise adjoint and the weight gradients over neuron ranges (each range owns its gradient
 * columns, summed in the global order: batch row, then event), then the products q R and q W over
 * column ranges ({@link RowProduct}). Allocates nothing per step.
 */
final class BackwardKernel {
  /**
   * A compact-support surrogate's products go through the dense kernel instead of rows of events
   * when more than 1 / this of q's entries are non-zero. Either way gives the same bits; measured
   * on the benchmark config, an event row costs about 4 times a dense-kernel entry.
   */
  static final int DENSE_SPARSITY_RATIO = 4;

  private final LifWeights w;
  private final int batch;
  private final StepInputs inputs;
  private final float[][] fromAbove;
  private final float[] q;
  private final float[] delta;
  private final float[] recurrentProduct;
  private final float[] downProduct;
  private final float[] readoutError;
  private final float[][] row;
  private final float[][][] productScratch;
  private final WorkerTeam.Part adjointPart = this::adjointPart;
  private final WorkerTeam.Part productPart = this::productPart;

  private TapeStep rec;
  private TapeStep prevRec;
  private StateAdjoint adj;
  private GradientAccumulator grads;
  private int layer;
  private int roundParts;
  private boolean events;

  BackwardKernel(LifWeights weights, int batch, int parts) {
    this.w = weights;
    this.batch = batch;
    this.inputs = new StepInputs(batch, weights.config.inputSize());
    fromAbove = new float[weights.depth][];
    for (int l = 0; l < weights.depth; l++) {
      fromAbove[l] = new float[batch * weights.width[l]];
    }
    int cells = batch * weights.maxWidth;
    q = new float[cells];
    delta = new float[cells];
    recurrentProduct = new float[cells];
    downProduct = new float[cells];
    readoutError = new float[batch * weights.classes];
    row = new float[parts][weights.maxWidth];
    productScratch = new float[parts][4][weights.maxWidth];
  }

  /** Step t: {@code rec} is its tape entry, {@code prevRec} the entry of step t - 1. */
  void step(
      int t,
      TapeStep rec,
      TapeStep prevRec,
      FrameSource frames,
      StateAdjoint adj,
      GradientAccumulator grads,
      WorkerTeam team) {
    inputs.fill(frames, t);
    this.rec = rec;
    this.prevRec = prevRec;
    this.adj = adj;
    this.grads = grads;
    roundParts = team == null ? 1 : team.parts();
    readoutBackward();
    for (int l = w.depth - 1; l >= 0; l--) {
      layer = l;
      int n = w.width[l];
      events =
          w.sparse
              && (long) rec.surrogateOffsets(l)[batch] * DENSE_SPARSITY_RATIO <= (long) batch * n;
      if (team == null) {
        adjointPart(0);
        productPart(0);
      } else {
        team.run(adjointPart);
        team.run(productPart);
      }
    }
    this.rec = null;
    this.prevRec = null;
    this.adj = null;
    this.grads = null;
  }

  /** The readout's adjoint and gradients; leaves the error e = (1 - beta_out) g per row. */
  private void readoutBackward() {
    int top = w.depth - 1;
    int classes = w.classes;
    float[] au = adj.readout();
    float[] seed = adj.readoutSum();
    float[] dWoT = grads.readoutT();
    float[] dbo = grads.readoutBias();
    float[] e = readoutError;
    int[] off = rec.spikeOffsets(top);
    int[] idx = rec.spikeIndices(top);
    for (int b = 0; b < batch; b++) {
      int o = b * classes;
      for (int c = 0; c < classes; c++) {
        float g = seed[o + c] + au[o + c];
        e[o + c] = w.leakOut * g;
        au[o + c] = w.betaOut * g;
        dbo[c] += e[o + c];
      }
      for (int k = off[b]; k < off[b + 1]; k++) {
        int base = idx[k] * classes;
        for (int c = 0; c < classes; c++) {
          dWoT[base + c] += e[o + c];
        }
      }
    }
  }

  private void adjointPart(int part) {
    int l = layer;
    int n = w.width[l];
    int i0 = NeuronSplit.from(n, part, roundParts);
    int i1 = NeuronSplit.to(n, part, roundParts);
    float[] gs = fromAbove[l];
    if (l == w.depth - 1) {
      readoutToSpikes(gs, n, i0, i1, row[part]);
    }
    float lk = w.leak[l];
    float b0 = w.beta[l];
    if (w.recurrent[l]) {
      float[] ar = adj.recurrent(l);
      for (int b = 0; b < batch; b++) {
        for (int i = b * n + i0; i < b * n + i1; i++) {
          gs[i] += lk * ar[i];
        }
      }
    }
    if (w.sparse) {
      int[] soff = rec.surrogateOffsets(l);
      int[] si = rec.surrogateIndices(l);
      float[] sv = rec.surrogateValues(l);
      for (int b = 0; b < batch; b++) {
        Arrays.fill(q, b * n + i0, b * n + i1, 0f);
        for (int k = soff[b]; k < soff[b + 1]; k++) {
          int i = si[k];
          if (i >= i0 && i < i1) {
            q[b * n + i] = gs[b * n + i] * sv[k];
          }
        }
      }
    } else {
      float[] sd = rec.surrogateDense(l);
      for (int b = 0; b < batch; b++) {
        for (int i = b * n + i0; i < b * n + i1; i++) {
          q[i] = gs[i] * sd[i];
        }
      }
    }
    float[] av = adj.membrane(l);
    for (int b = 0; b < batch; b++) {
      for (int i = b * n + i0; i < b * n + i1; i++) {
        float gv = q[i] + av[i];
        av[i] = b0 * gv;
        delta[i] = lk * gv;
      }
    }
    accumulate(l, n, i0, i1, row[part]);
  }

  /** dL/ds of the top layer from the readout error: sum over classes ascending. */
  private void readoutToSpikes(float[] gs, int n, int i0, int i1, float[] acc) {
    int classes = w.classes;
    float[] e = readoutError;
    for (int b = 0; b < batch; b++) {
      Arrays.fill(acc, i0, i1, 0f);
      for (int c = 0; c < classes; c++) {
        float ec = e[b * classes + c];
        if (ec != 0f) {
          float[] wc = w.readoutW[c];
          for (int j = i0; j < i1; j++) {
            acc[j] += ec * wc[j];
          }
        }
      }
      System.arraycopy(acc, i0, gs, b * n + i0, i1 - i0);
    }
  }

  /** The weight gradients of columns [i0, i1); {@code d} holds one row of delta at a time. */
  private void accumulate(int l, int n, int i0, int i1, float[] d) {
    float[] db = grads.bias(l);
    float[][] dwT = grads.inputT(l);
    float[][] drT = grads.recurrentT(l);
    for (int b = 0; b < batch; b++) {
      System.arraycopy(delta, b * n + i0, d, i0, i1 - i0);
      for (int i = i0; i < i1; i++) {
        db[i] += d[i];
      }
      if (l == 0) {
        int eo = b * inputs.channels;
        for (int k = eo; k < eo + inputs.count[b]; k++) {
          float[] g = dwT[inputs.index[k]];
          float x = inputs.value[k];
          if (x == 1f) {
            for (int i = i0; i < i1; i++) {
              g[i] += d[i];
            }
          } else {
            for (int i = i0; i < i1; i++) {
              g[i] += x * d[i];
            }
          }
        }
      } else {
        addOverSpikes(rec, l - 1, b, dwT, d, i0, i1);
      }
      if (w.recurrent[l]) {
        addOverSpikes(prevRec, l, b, drT, d, i0, i1);
      }
    }
  }

  /** g[s][i] += d[i] for every spike s of row b of {@code step}'s layer {@code l}. */
  private void addOverSpikes(TapeStep step, int l, int b, float[][] g, float[] d, int i0, int i1) {
    int[] off = step.spikeOffsets(l);
    int[] idx = step.spikeIndices(l);
    for (int k = off[b]; k < off[b + 1]; k++) {
      float[] gk = g[idx[k]];
      for (int i = i0; i < i1; i++) {
        gk[i] += d[i];
      }
    }
  }

  private void productPart(int part) {
    int l = layer;
    int n = w.width[l];
    float b0 = w.beta[l];
    if (w.recurrent[l]) {
      int j0 = NeuronSplit.from(n, part, roundParts);
      int j1 = NeuronSplit.to(n, part, roundParts);
      product(w.recurrentRows[l], n, recurrentProduct, j0, j1, productScratch[part]);
      float[] carry = adj.recurrent(l);
      for (int b = 0; b < batch; b++) {
        for (int i = b * n + j0; i < b * n + j1; i++) {
          carry[i] = b0 * carry[i] + recurrentProduct[i];
        }
      }
    }
    if (l > 0) {
      int nIn = w.inWidth[l];
      int j0 = NeuronSplit.from(nIn, part, roundParts);
      int j1 = NeuronSplit.to(nIn, part, roundParts);
      product(w.inputRows[l], nIn, downProduct, j0, j1, productScratch[part]);
      float[] ad = adj.down(l);
      float[] below = fromAbove[l - 1];
      float lk = w.leak[l];
      for (int b = 0; b < batch; b++) {
        for (int i = b * nIn + j0; i < b * nIn + j1; i++) {
          ad[i] = b0 * ad[i] + downProduct[i];
          below[i] = lk * ad[i];
        }
      }
    }
  }

  /** out = q M over columns [j0, j1), event-driven over the surrogate's support when sparse. */
  private void product(float[][] m, int cols, float[] out, int j0, int j1, float[][] scratch) {
    int rows = w.width[layer];
    if (events) {
      RowProduct.multiplyEvents(
          q,
          batch,
          rows,
          rec.surrogateOffsets(layer),
          rec.surrogateIndices(layer),
          m,
          out,
          cols,
          j0,
          j1,
          scratch);
    } else {
      RowProduct.multiply(q, batch, rows, m, out, cols, j0, j1, scratch);
    }
  }
}
