package dev.rewind.trainer.bptt;

import dev.rewind.trainer.data.FrameSource;
import java.util.Arrays;

/**
 * The backward pass of a LIF network for a fixed batch, with the scratch it needs: it moves a
 * {@link StateAdjoint} from step t2 down to step t1 and adds the parameter gradients of those
 * steps.
 *
 * <p>Steps are reversed in chunks of up to {@link #chunkSteps} and, within a chunk, layer by layer
 * from the top: a layer's adjoint across time depends only on its own carries and on what the layer
 * above sends it at the same step. That lets the product q W into the layer below run once per
 * chunk over all its steps' rows (the matrix is read from memory once, not once per step) and still
 * give the bits of a step-by-step pass: every gradient entry receives its terms from one layer's
 * pass, in step-descending order either way, and every product entry is one fixed chain ({@link
 * RowProduct}). Chunks end where truncated BPTT cuts the adjoint.
 *
 * <p>Per step and layer, two rounds of a {@link WorkerTeam}: the element-wise adjoint and the
 * weight gradients over neuron ranges (each range owns its gradient columns, summed in the global
 * order), then the product q R over column ranges. The readout runs on the calling thread.
 * Allocates nothing per step.
 */
final class BackwardKernel {
  /**
   * A compact-support surrogate's products go through the dense kernel instead of rows of events
   * when more than 1 / this of q's entries are non-zero. Either way gives the same bits; measured
   * on the benchmark config, an event row costs about 4 times a dense-kernel entry.
   */
  static final int DENSE_SPARSITY_RATIO = 4;

  /** Floats per chunk buffer (512 KiB): chunks of 16 steps at B = 16 and 512 neurons. */
  static final int CHUNK_FLOATS = 1 << 17;

  private final LifWeights w;
  private final int batch;
  private final int chunkSteps;
  private final StepInputs[] inputs;
  private final TapeStep[] recs;
  private final TapeStep[] prevRecs;
  private final boolean[] eventSteps;
  private final float[] chunkErrors;
  private final float[][] fromAbove;
  private final float[][] aboveChunk;
  private final float[][] qChunk;
  private final float[] downChunk;
  private final float[][] q;
  private final float[] delta;
  private final float[] product;
  private final float[] stepDown;
  private final float[][] row;
  private final float[][][] productScratch;
  private final WeightGradients weightGradients;
  private final WorkerTeam.Part stepPart = this::stepPart;

  private StateAdjoint adj;
  private GradientAccumulator grads;
  private int layer;
  private int roundParts;
  private int chunkFirst;
  private int chunkEnd;
  private int productStep;
  private int adjointStep;

  BackwardKernel(LifWeights weights, int batch, int parts) {
    this.w = weights;
    this.batch = batch;
    this.chunkSteps = Math.max(1, Math.min(64, CHUNK_FLOATS / (batch * weights.maxWidth)));
    this.inputs = new StepInputs[chunkSteps];
    for (int s = 0; s < chunkSteps; s++) {
      inputs[s] = new StepInputs(batch, weights.config.inputSize());
    }
    recs = new TapeStep[chunkSteps];
    prevRecs = new TapeStep[chunkSteps];
    eventSteps = new boolean[chunkSteps];
    chunkErrors = new float[chunkSteps * batch * weights.classes];
    int depth = weights.depth;
    fromAbove = new float[depth][];
    aboveChunk = new float[depth][];
    qChunk = new float[depth][];
    for (int l = 0; l < depth; l++) {
      int size = batch * weights.width[l];
      fromAbove[l] = new float[size];
      aboveChunk[l] = new float[l < depth - 1 ? chunkSteps * size : 0];
      qChunk[l] = new float[l > 0 ? chunkSteps * size : 0];
    }
    int cells = batch * weights.maxWidth;
    downChunk = new float[depth > 1 ? chunkSteps * cells : 0];
    q = new float[2][cells];
    delta = new float[cells];
    product = new float[cells];
    stepDown = new float[cells];
    row = new float[parts][weights.maxWidth];
    productScratch = new float[parts][4][weights.maxWidth];
    weightGradients = new WeightGradients(weights, batch, delta);
  }

  /**
   * Steps t2 - 1 down to t1 from {@code tape}; the adjoint is at step t2 and is left at t1. With
   * {@code truncation} K > 0 the adjoint's history is cut after every step t > 0 with (T - t) a
   * multiple of K.
   */
  void reverse(
      Tape tape,
      int t2,
      int t1,
      FrameSource frames,
      StateAdjoint adj,
      GradientAccumulator grads,
      int truncation,
      WorkerTeam team) {
    this.adj = adj;
    this.grads = grads;
    roundParts = team == null ? 1 : team.parts();
    int steps = frames.steps();
    try {
      for (int c1 = t2; c1 > t1; ) {
        int c0 = Math.max(t1, c1 - chunkSteps);
        if (truncation > 0) {
          int lastCut = steps - truncation * ((steps - (c1 - 1) + truncation - 1) / truncation);
          c0 = lastCut > 0 && lastCut >= c0 ? lastCut : c0;
        }
        for (int l = w.depth - 1; l >= 0; l--) {
          layerPass(l, c0, c1, tape, frames, team);
        }
        if (truncation > 0 && c0 > 0 && (steps - c0) % truncation == 0) {
          adj.cutHistory();
        }
        c1 = c0;
      }
    } finally {
      Arrays.fill(recs, null);
      Arrays.fill(prevRecs, null);
      this.adj = null;
      this.grads = null;
    }
  }

  /**
   * Layer l over the chunk [c0, c1), steps descending. Step t's product q R feeds step t - 1's
   * adjoint only in the columns its own thread computes, so one round does both: a step costs one
   * round, and the last one also takes the chunk's product into the layer below.
   */
  private void layerPass(int l, int c0, int c1, Tape tape, FrameSource frames, WorkerTeam team) {
    layer = l;
    chunkFirst = c0;
    chunkEnd = c1;
    int size = batch * w.width[l];
    for (int t = c1 - 1; t >= c0; t--) {
      int s = t - c0;
      recs[s] = tape.step(t);
      prevRecs[s] = tape.previous(t);
      eventSteps[s] =
          w.sparse && (long) recs[s].surrogateOffsets(l)[batch] * DENSE_SPARSITY_RATIO <= size;
      if (l == 0) {
        inputs[s].fill(frames, t);
      }
    }
    if (l == w.depth - 1) {
      for (int t = c1 - 1; t >= c0; t--) {
        readoutBackward(t - c0);
      }
    }
    for (int t = c1; t >= c0; t--) {
      productStep = t < c1 ? t : -1;
      adjointStep = t > c0 ? t - 1 : -1;
      run(team, stepPart);
    }
  }

  private void stepPart(int part) {
    if (productStep >= 0) {
      productPart(part, productStep - chunkFirst);
      if (productStep == chunkFirst && layer > 0) {
        downPart(part);
      }
    }
    if (adjointStep >= 0) {
      adjointPart(part, adjointStep - chunkFirst);
    }
  }

  private void run(WorkerTeam team, WorkerTeam.Part part) {
    if (team == null) {
      part.run(0);
    } else {
      team.run(part);
    }
  }

  /**
   * The readout's adjoint and gradients at the chunk's step s; leaves the error e = (1 - beta_out)
   * g per row in the chunk's errors.
   */
  private void readoutBackward(int s) {
    TapeStep rec = recs[s];
    int top = w.depth - 1;
    int classes = w.classes;
    float[] au = adj.readout();
    float[] seed = adj.readoutSum();
    float[] dWoT = grads.readoutT();
    float[] dbo = grads.readoutBias();
    float[] e = chunkErrors;
    int eo = s * batch * classes;
    int[] off = rec.spikeOffsets(top);
    int[] idx = rec.spikeIndices(top);
    for (int b = 0; b < batch; b++) {
      int o = b * classes;
      for (int c = 0; c < classes; c++) {
        float g = seed[o + c] + au[o + c];
        e[eo + o + c] = w.leakOut * g;
        au[o + c] = w.betaOut * g;
        dbo[c] += e[eo + o + c];
      }
      for (int k = off[b]; k < off[b + 1]; k++) {
        int base = idx[k] * classes;
        for (int c = 0; c < classes; c++) {
          dWoT[base + c] += e[eo + o + c];
        }
      }
    }
  }

  /** The element-wise adjoint and weight gradients of the chunk's step s, neurons of this part. */
  private void adjointPart(int part, int s) {
    int l = layer;
    int n = w.width[l];
    int i0 = NeuronSplit.from(n, part, roundParts);
    int i1 = NeuronSplit.to(n, part, roundParts);
    TapeStep rec = recs[s];
    float[] q = this.q[s & 1];
    float[] gs = fromAbove[l];
    if (l == w.depth - 1) {
      readoutToSpikes(gs, n, i0, i1, row[part], s);
    } else {
      for (int b = 0; b < batch; b++) {
        System.arraycopy(aboveChunk[l], (s * batch + b) * n + i0, gs, b * n + i0, i1 - i0);
      }
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
    if (l > 0 && !w.sparse) {
      int base = s * batch * n;
      for (int b = 0; b < batch; b++) {
        System.arraycopy(q, b * n + i0, qChunk[l], base + b * n + i0, i1 - i0);
      }
    }
    weightGradients.add(l, grads, inputs[s], rec, prevRecs[s], i0, i1, row[part]);
  }

  /** dL/ds of the top layer from the readout error: sum over classes ascending. */
  private void readoutToSpikes(float[] gs, int n, int i0, int i1, float[] acc, int s) {
    int classes = w.classes;
    float[] e = chunkErrors;
    int eo = s * batch * classes;
    for (int b = 0; b < batch; b++) {
      Arrays.fill(acc, i0, i1, 0f);
      for (int c = 0; c < classes; c++) {
        float ec = e[eo + b * classes + c];
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

  /**
   * This step's q R into the recurrent carry; for a sparse tape also this step's q W into the
   * chunk's product rows (event-driven when q is sparse enough, so never batched).
   */
  private void productPart(int part, int s) {
    int l = layer;
    int n = w.width[l];
    if (w.recurrent[l]) {
      int j0 = NeuronSplit.from(n, part, roundParts);
      int j1 = NeuronSplit.to(n, part, roundParts);
      product(s, w.recurrentRows[l], n, product, j0, j1, productScratch[part]);
      float[] carry = adj.recurrent(l);
      float b0 = w.beta[l];
      for (int b = 0; b < batch; b++) {
        for (int i = b * n + j0; i < b * n + j1; i++) {
          carry[i] = b0 * carry[i] + product[i];
        }
      }
    }
    if (l > 0 && w.sparse) {
      int nIn = w.inWidth[l];
      int j0 = NeuronSplit.from(nIn, part, roundParts);
      int j1 = NeuronSplit.to(nIn, part, roundParts);
      int base = s * batch * nIn;
      product(s, w.inputRows[l], nIn, stepDown, j0, j1, productScratch[part]);
      for (int b = 0; b < batch; b++) {
        System.arraycopy(stepDown, b * nIn + j0, downChunk, base + b * nIn + j0, j1 - j0);
      }
    }
  }

  /**
   * The chunk's q W (one product over all its steps' rows for a dense tape), then the down carry
   * across the chunk's steps, descending, and what it sends the layer below at each step.
   */
  private void downPart(int part) {
    int l = layer;
    int n = w.width[l];
    int nIn = w.inWidth[l];
    int j0 = NeuronSplit.from(nIn, part, roundParts);
    int j1 = NeuronSplit.to(nIn, part, roundParts);
    int steps = chunkEnd - chunkFirst;
    if (!w.sparse) {
      RowProduct.multiply(
          qChunk[l],
          steps * batch,
          n,
          w.inputRows[l],
          downChunk,
          nIn,
          j0,
          j1,
          productScratch[part]);
    }
    float[] ad = adj.down(l);
    float[] below = aboveChunk[l - 1];
    float b0 = w.beta[l];
    float lk = w.leak[l];
    for (int s = steps - 1; s >= 0; s--) {
      int base = s * batch * nIn;
      for (int b = 0; b < batch; b++) {
        int o = b * nIn;
        for (int j = j0; j < j1; j++) {
          ad[o + j] = b0 * ad[o + j] + downChunk[base + o + j];
          below[base + o + j] = lk * ad[o + j];
        }
      }
    }
  }

  /** out = q M over columns [j0, j1), event-driven over the surrogate's support when sparse. */
  private void product(
      int s, float[][] m, int cols, float[] out, int j0, int j1, float[][] scratch) {
    int rows = w.width[layer];
    TapeStep rec = recs[s];
    float[] q = this.q[s & 1];
    if (eventSteps[s]) {
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
