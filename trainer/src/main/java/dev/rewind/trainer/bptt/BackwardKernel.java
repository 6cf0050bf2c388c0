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
 * <p>Threads: a layer's chunk is two rounds of a {@link WorkerTeam}. First each thread runs the
 * adjoint of its own batch rows through every step of the chunk (element-wise adjoint, q R, q W:
 * nothing in them mixes rows, so no thread waits for another within the chunk). Then the weight
 * gradients, the only sums over rows: each thread owns a range of rows of each gradient matrix (one
 * presynaptic neuron's row never has two writers) and adds its terms in the global order (step
 * descending, batch row, event). The readout runs on the calling thread. Allocates nothing per
 * step.
 */
final class BackwardKernel {
  /**
   * A compact-support surrogate's products go through the dense kernel instead of rows of events
   * when more than 1 / this of q's entries are non-zero. Either way gives the same bits; measured
   * on the benchmark config, an event row costs about 5 times a dense-kernel entry.
   */
  static final int DENSE_SPARSITY_RATIO = 5;

  /** Floats per chunk buffer (512 KiB): chunks of 16 steps at B = 16 and 512 neurons. */
  static final int CHUNK_FLOATS = 1 << 17;

  private final LifWeights w;
  private final int batch;
  private final int chunkSteps;
  private final StepInputs[] inputs;
  private final TapeStep[] recs;
  private final TapeStep[] prevRecs;
  private final boolean[] eventSteps;
  private final float[] errors;
  private final float[] stepSeed;
  private final float[][] gs;
  private final float[][] q;
  private final float[][] delta;
  private final float[][] aboveChunk;
  private final float[][] qChunk;
  private final float[][] deltaChunk;

  /** Trainable time constants: dL/dv_t and dL/da_t of each chunk step, for dL/dq and dL/dp. */
  private final float[][] membraneChunk;

  private final float[][] adaptationChunk;
  private final float[] downChunk;
  private final float[] product;
  private final float[] downStep;
  private final float[][] row;
  private final float[][][] productScratch;
  private final WeightGradients weightGradients;
  private final WorkerTeam.Part adjointRows = this::adjointRows;
  private final WorkerTeam.Part gradientRows = this::gradientRows;

  private StateAdjoint adj;
  private GradientAccumulator grads;
  private int layer;
  private int roundParts;
  private int steps;

  BackwardKernel(LifWeights weights, int batch, int parts) {
    this.w = weights;
    this.batch = batch;
    this.chunkSteps = Math.max(1, Math.min(64, CHUNK_FLOATS / (batch * weights.maxWidth)));
    int depth = weights.depth;
    inputs = new StepInputs[chunkSteps];
    for (int s = 0; s < chunkSteps; s++) {
      inputs[s] = new StepInputs(batch, weights.config.inputSize());
    }
    recs = new TapeStep[chunkSteps];
    prevRecs = new TapeStep[chunkSteps];
    eventSteps = new boolean[chunkSteps];
    errors = new float[chunkSteps * batch * weights.classes];
    stepSeed = new float[batch * weights.classes];
    gs = new float[depth][];
    q = new float[depth][];
    delta = new float[depth][];
    aboveChunk = new float[depth][];
    qChunk = new float[depth][];
    deltaChunk = new float[depth][];
    membraneChunk = new float[depth][];
    adaptationChunk = new float[depth][];
    for (int l = 0; l < depth; l++) {
      int size = batch * weights.width[l];
      boolean own = weights.trainTau[l];
      membraneChunk[l] = new float[own ? chunkSteps * size : 0];
      adaptationChunk[l] = new float[own && weights.adaptive[l] ? chunkSteps * size : 0];
      gs[l] = new float[size];
      q[l] = new float[size];
      delta[l] = new float[size];
      aboveChunk[l] = new float[l < depth - 1 ? chunkSteps * size : 0];
      // A layer with its own leaks sends delta W down, one dense product per chunk.
      qChunk[l] = new float[l > 0 && (!weights.sparse || own) ? chunkSteps * size : 0];
      deltaChunk[l] = new float[chunkSteps * size];
    }
    downChunk = new float[depth > 1 ? chunkSteps * batch * weights.maxWidth : 0];
    product = new float[batch * weights.maxWidth];
    downStep = new float[batch * weights.maxWidth];
    row = new float[parts][weights.maxWidth];
    productScratch = new float[parts][4][weights.maxWidth];
    weightGradients = new WeightGradients(weights, batch);
  }

  /**
   * Steps t2 - 1 down to t1 from {@code tape}; the adjoint is at step t2 and is left at t1. With
   * {@code truncation} K > 0 the adjoint's history is cut after every step t > 0 with (T - t) a
   * multiple of K. The loss seed enters the readout's adjoint at steps from {@code windowStart} on,
   * the loss head's window.
   */
  void reverse(
      Tape tape,
      int t2,
      int t1,
      FrameSource frames,
      StateAdjoint adj,
      GradientAccumulator grads,
      int truncation,
      int windowStart,
      StepLoss stepLoss,
      WorkerTeam team) {
    this.adj = adj;
    this.grads = grads;
    roundParts = team == null ? 1 : team.parts();
    int total = frames.steps();
    try {
      for (int c1 = t2; c1 > t1; ) {
        int c0 = Math.max(t1, c1 - chunkSteps);
        if (truncation > 0) {
          int lastCut = total - truncation * ((total - (c1 - 1) + truncation - 1) / truncation);
          c0 = lastCut > 0 && lastCut >= c0 ? lastCut : c0;
        }
        steps = c1 - c0;
        for (int s = 0; s < steps; s++) {
          recs[s] = tape.step(c0 + s);
          prevRecs[s] = tape.previous(c0 + s);
          inputs[s].fill(frames, c0 + s);
        }
        readoutBackward(c0, windowStart, frames, stepLoss);
        for (int l = w.depth - 1; l >= 0; l--) {
          layer = l;
          int size = batch * w.width[l];
          for (int s = 0; s < steps; s++) {
            eventSteps[s] =
                w.sparse
                    && (long) recs[s].surrogateOffsets(l)[batch] * DENSE_SPARSITY_RATIO <= size;
          }
          run(team, adjointRows);
          run(team, gradientRows);
        }
        if (truncation > 0 && c0 > 0 && (total - c0) % truncation == 0) {
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

  private void run(WorkerTeam team, WorkerTeam.Part part) {
    if (team == null) {
      part.run(0);
    } else {
      team.run(part);
    }
  }

  /**
   * The readout's adjoint and gradients over the chunk, steps descending; leaves the error e = (1 -
   * beta_out) g of every step and row in {@code errors}. The chunk starts at step {@code c0}. A
   * sequence head's seed enters from {@code windowStart} on; a per-step head's {@code stepLoss}
   * seeds each targeted step from its taped readout.
   */
  private void readoutBackward(int c0, int windowStart, FrameSource frames, StepLoss stepLoss) {
    int top = w.depth - 1;
    int classes = w.classes;
    float[] au = adj.readout();
    float[] seed = adj.readoutSum();
    float[] dWoT = grads.readoutT();
    float[] dbo = grads.readoutBias();
    float[] dqo = grads.readoutLogit();
    for (int s = steps - 1; s >= 0; s--) {
      int[] off = recs[s].spikeOffsets(top);
      int[] idx = recs[s].spikeIndices(top);
      boolean seeded = c0 + s >= windowStart;
      for (int b = 0; b < batch; b++) {
        int o = b * classes;
        int eo = s * batch * classes + o;
        // This row's loss seed at this step: the window's, a targeted step's, or none.
        float[] rowSeed = seeded ? seed : null;
        if (stepLoss != null && stepLoss.add(recs[s].readout(), o, frames, b, c0 + s, stepSeed)) {
          rowSeed = stepSeed;
        }
        // g = dL/du_t; with a trainable leak, d u_t / d beta_o = u_{t-1} - z_t, taped
        float[] term = recs[s].readoutLeakTerm();
        for (int c = 0; c < classes; c++) {
          float g = rowSeed == null ? au[o + c] : rowSeed[o + c] + au[o + c];
          errors[eo + c] = w.classLeak[c] * g;
          au[o + c] = w.classBeta[c] * g;
          dbo[c] += errors[eo + c];
          if (dqo != null) {
            dqo[c] += g * term[o + c] * w.classSlope[c];
          }
        }
        for (int k = off[b]; k < off[b + 1]; k++) {
          int base = idx[k] * classes;
          for (int c = 0; c < classes; c++) {
            dWoT[base + c] += errors[eo + c];
          }
        }
      }
    }
  }

  /** Layer {@code layer}'s adjoint over the chunk for this part's batch rows. */
  private void adjointRows(int part) {
    int l = layer;
    int r0 = batch * part / roundParts;
    int r1 = batch * (part + 1) / roundParts;
    int n = w.width[l];
    int size = batch * n;
    float[] g = gs[l];
    for (int s = steps - 1; s >= 0; s--) {
      if (l == w.depth - 1) {
        readoutToSpikes(g, n, r0, r1, s, row[part]);
      } else {
        for (int b = r0; b < r1; b++) {
          System.arraycopy(aboveChunk[l], (b * steps + s) * n, g, b * n, n);
        }
      }
      elementwise(l, s, r0, r1);
      for (int b = r0; b < r1; b++) {
        System.arraycopy(delta[l], b * n, deltaChunk[l], s * size + b * n, n);
      }
      if (w.trainTau[l]) {
        ownLeakProducts(l, s, r0, r1, part);
        continue;
      }
      if (w.recurrent[l]) {
        product(s, r0, r1, w.recurrentRows[l], n, product, productScratch[part]);
        float[] carry = adj.recurrent(l);
        float b0 = w.beta[l];
        for (int i = r0 * n; i < r1 * n; i++) {
          carry[i] = b0 * carry[i] + product[i];
        }
      }
      if (l > 0) {
        int nIn = w.inWidth[l];
        if (w.sparse) {
          // Its own buffer: rows of another stride would overlap the other parts' rows of q R.
          product(s, r0, r1, w.inputRows[l], nIn, downStep, productScratch[part]);
          for (int b = r0; b < r1; b++) {
            System.arraycopy(downStep, b * nIn, downChunk, (b * steps + s) * nIn, nIn);
          }
        } else {
          for (int b = r0; b < r1; b++) {
            System.arraycopy(q[l], b * n, qChunk[l], (b * steps + s) * n, n);
          }
        }
      }
    }
    if (l > 0) {
      down(l, r0, r1, part);
    }
  }

  /**
   * A layer with its own leaks at chunk step s: per-neuron leaks do not factor through R and W as
   * one beta does, so the recurrent carry is delta_t R itself, and delta_t is kept for the chunk's
   * delta W down.
   */
  private void ownLeakProducts(int l, int s, int r0, int r1, int part) {
    int n = w.width[l];
    if (w.recurrent[l]) {
      RowProduct.multiply(
          delta[l], r0, r1, n, w.recurrentRows[l], product, n, 0, n, productScratch[part]);
      System.arraycopy(product, r0 * n, adj.recurrent(l), r0 * n, (r1 - r0) * n);
    }
    if (l > 0) {
      for (int b = r0; b < r1; b++) {
        System.arraycopy(delta[l], b * n, qChunk[l], (b * steps + s) * n, n);
      }
    }
  }

  /** dL/ds of the top layer at chunk step s from the readout error: classes ascending. */
  private void readoutToSpikes(float[] g, int n, int r0, int r1, int s, float[] acc) {
    int classes = w.classes;
    for (int b = r0; b < r1; b++) {
      Arrays.fill(acc, 0, n, 0f);
      int eo = (s * batch + b) * classes;
      for (int c = 0; c < classes; c++) {
        float ec = errors[eo + c];
        if (ec != 0f) {
          float[] wc = w.readoutW[c];
          for (int j = 0; j < n; j++) {
            acc[j] += ec * wc[j];
          }
        }
      }
      System.arraycopy(acc, 0, g, b * n, n);
    }
  }

  /** gs -> q -> membrane adjoint and delta for rows [r0, r1) of layer l at chunk step s. */
  private void elementwise(int l, int s, int r0, int r1) {
    int n = w.width[l];
    int from = r0 * n;
    int to = r1 * n;
    float[] g = gs[l];
    float[] ql = q[l];
    float lk = w.leak[l];
    boolean own = w.trainTau[l];
    if (w.recurrent[l]) {
      float[] ar = adj.recurrent(l);
      if (own) {
        for (int i = from; i < to; i++) {
          g[i] += ar[i];
        }
      } else {
        for (int i = from; i < to; i++) {
          g[i] += lk * ar[i];
        }
      }
    }
    float[] aa = adj.adaptation(l);
    if (w.adaptive[l]) {
      // s_t feeds a_{t+1} = rho a_t + (1 - rho) s_t
      if (own) {
        float[] nrl = w.neuronRhoLeak[l];
        for (int o = from; o < to; o += n) {
          for (int j = 0; j < n; j++) {
            g[o + j] += nrl[j] * aa[o + j];
          }
        }
      } else {
        float rl = w.rhoLeak[l];
        for (int i = from; i < to; i++) {
          g[i] += rl * aa[i];
        }
      }
    }
    TapeStep rec = recs[s];
    if (w.sparse) {
      Arrays.fill(ql, from, to, 0f);
      int[] soff = rec.surrogateOffsets(l);
      int[] si = rec.surrogateIndices(l);
      float[] sv = rec.surrogateValues(l);
      for (int b = r0; b < r1; b++) {
        for (int k = soff[b]; k < soff[b + 1]; k++) {
          int i = b * n + si[k];
          ql[i] = g[i] * sv[k];
        }
      }
    } else {
      float[] sd = rec.surrogateDense(l);
      for (int i = from; i < to; i++) {
        ql[i] = g[i] * sd[i];
      }
    }
    int size = batch * n;
    if (w.adaptive[l]) {
      // a_t raises the threshold of s_t: ds_t/da_t = -kappa sg
      float kappa = w.kappa[l];
      if (own) {
        float[] nr = w.neuronRho[l];
        float[] kept = adaptationChunk[l];
        for (int o = from; o < to; o += n) {
          for (int j = 0; j < n; j++) {
            aa[o + j] = nr[j] * aa[o + j] - kappa * ql[o + j];
          }
        }
        System.arraycopy(aa, from, kept, s * size + from, to - from);
      } else {
        float rho = w.rho[l];
        for (int i = from; i < to; i++) {
          aa[i] = rho * aa[i] - kappa * ql[i];
        }
      }
    }
    float[] av = adj.membrane(l);
    float[] dl = delta[l];
    if (own) {
      float[] nb = w.neuronBeta[l];
      float[] nl = w.neuronLeak[l];
      float[] kept = membraneChunk[l];
      for (int o = from; o < to; o += n) {
        for (int j = 0; j < n; j++) {
          float gv = ql[o + j] + av[o + j];
          kept[s * size + o + j] = gv;
          av[o + j] = nb[j] * gv;
          dl[o + j] = nl[j] * gv;
        }
      }
      return;
    }
    float b0 = w.beta[l];
    for (int i = from; i < to; i++) {
      float gv = ql[i] + av[i];
      av[i] = b0 * gv;
      dl[i] = lk * gv;
    }
  }

  /**
   * The chunk's q W for rows [r0, r1) (one product over all their steps for a dense tape), then the
   * down carry across the chunk's steps, descending, and what it sends the layer below.
   */
  private void down(int l, int r0, int r1, int part) {
    int n = w.width[l];
    int nIn = w.inWidth[l];
    if (!w.sparse || w.trainTau[l]) {
      RowProduct.multiply(
          qChunk[l],
          r0 * steps,
          r1 * steps,
          n,
          w.inputRows[l],
          downChunk,
          nIn,
          0,
          nIn,
          productScratch[part]);
    }
    float[] below = aboveChunk[l - 1];
    if (w.trainTau[l]) {
      // delta_t W is already dL/ds of the layer below at step t: no carry across steps.
      for (int b = r0; b < r1; b++) {
        System.arraycopy(downChunk, b * steps * nIn, below, b * steps * nIn, steps * nIn);
      }
      return;
    }
    float[] ad = adj.down(l);
    float b0 = w.beta[l];
    float lk = w.leak[l];
    float[] acc = row[part];
    for (int b = r0; b < r1; b++) {
      System.arraycopy(ad, b * nIn, acc, 0, nIn);
      for (int s = steps - 1; s >= 0; s--) {
        int base = (b * steps + s) * nIn;
        for (int j = 0; j < nIn; j++) {
          acc[j] = b0 * acc[j] + downChunk[base + j];
          below[base + j] = lk * acc[j];
        }
      }
      System.arraycopy(acc, 0, ad, b * nIn, nIn);
    }
  }

  /** out = q M for rows [r0, r1), event-driven over the surrogate's support when sparse. */
  private void product(
      int s, int r0, int r1, float[][] m, int cols, float[] out, float[][] scratch) {
    int rows = w.width[layer];
    TapeStep rec = recs[s];
    if (eventSteps[s]) {
      RowProduct.multiplyEvents(
          q[layer],
          r0,
          r1,
          rows,
          rec.surrogateOffsets(layer),
          rec.surrogateIndices(layer),
          m,
          out,
          cols,
          0,
          cols,
          scratch);
    } else {
      RowProduct.multiply(q[layer], r0, r1, rows, m, out, cols, 0, cols, scratch);
    }
  }

  private void gradientRows(int part) {
    weightGradients.add(
        layer,
        steps,
        grads,
        inputs,
        recs,
        prevRecs,
        deltaChunk[layer],
        part,
        roundParts,
        row[part]);
    if (w.trainTau[layer]) {
      leakGradients(part);
    }
  }

  /**
   * dL/dq_i += dL/dv_t (v_{t-1} - c_t) beta_i (1 - beta_i), and for an ALIF layer dL/dp_i +=
   * dL/da_t (a_{t-1} - s_{t-1}) rho_i (1 - rho_i), for this part's neurons: steps descending, then
   * rows, the global order whatever the chunks and threads.
   */
  private void leakGradients(int part) {
    int l = layer;
    int n = w.width[l];
    int i0 = n * part / roundParts;
    int i1 = n * (part + 1) / roundParts;
    int size = batch * n;
    float[] dq = grads.membraneLogit(l);
    float[] dp = grads.adaptationLogit(l);
    float[] slope = w.betaSlope[l];
    float[] rhoSlope = w.rhoSlope[l];
    for (int s = steps - 1; s >= 0; s--) {
      float[] membraneTerm = recs[s].membraneLeakTerm(l);
      float[] adaptationTerm = recs[s].adaptationLeakTerm(l);
      for (int b = 0; b < batch; b++) {
        int o = s * size + b * n;
        for (int i = i0; i < i1; i++) {
          dq[i] += membraneChunk[l][o + i] * membraneTerm[b * n + i] * slope[i];
        }
        if (dp.length > 0) {
          for (int i = i0; i < i1; i++) {
            dp[i] += adaptationChunk[l][o + i] * adaptationTerm[b * n + i] * rhoSlope[i];
          }
        }
      }
    }
  }
}
