package dev.rewind.trainer.bptt;

import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.ParameterLayout;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.Surrogate;
import dev.rewind.trainer.model.TensorView;
import java.util.Arrays;

/**
 * The step kernels of a LIF network (MODEL_SPEC.md) for a fixed batch size: the forward {@link
 * #advance} over a segment of steps, optionally recording a {@link Tape}, and the backward {@link
 * #reverse} over a taped segment, which turns the adjoint of the segment's final state into the
 * adjoint of its initial state and adds the segment's parameter gradients to an accumulator.
 *
 * <p>Determinism contract: a step is computed by the same code in the same floating-point order
 * whatever segment it belongs to, and gradients are accumulated in the global order (step
 * descending, batch row ascending). So any split of [0, T) into segments, with states copied or
 * restored between them, gives bit-identical states, losses and gradients.
 *
 * <p>Costs: products with spike vectors are event-driven over transposed (input-major) copies of
 * the weights, so they cost what the spikes cost. The backward products into the layer below and
 * across time are one fixed-shape GEMM per step for a dense surrogate, and event-driven over the
 * non-zero surrogate entries for a compact-support one. Per-step work allocates nothing of its own.
 * Not thread-safe: one engine per thread.
 *
 * <p>Lifecycle: {@link #loadParameters} before the first use and again after every change of the
 * parameter values (the engine works on its own derived copies).
 */
public final class LifEngine {
  /**
   * A compact-support surrogate's backward products go through the GEMM instead of rows of events
   * when more than 1 / this of the entries are non-zero: an event-driven row costs about 1.5 times
   * a GEMM's work per entry (measured on the benchmark config: 13 G multiply-adds/s in a vectorised
   * Java loop against 19 G in a 16 x 512 x 512 GEMM). The choice depends only on the taped step, so
   * it is the same in every segmentation.
   */
  static final int GEMM_SPARSITY_RATIO = 2;

  private final ModelConfig config;
  private final ParameterLayout layout;
  private final int batch;
  private final int depth;
  private final int classes;
  private final int[] width;
  private final int[] inWidth;
  private final boolean[] recurrent;
  private final float[] beta;
  private final float[] leak;
  private final float theta;
  private final float betaOut;
  private final float leakOut;
  private final Surrogate surrogate;
  private final boolean sparse;
  private final int truncation;

  private final float[][][] inputT;
  private final float[][][] recurrentT;
  private final float[][] bias;
  private final float[] readoutT;
  private final float[][] readoutW;
  private final float[] readoutBias;
  private final DenseProduct[] recurrentProduct;
  private final DenseProduct[] downProduct;
  private boolean loaded;

  private final int[] inIdx;
  private final float[] inVal;
  private final float[] current;
  private final float[] row;
  private final float[] rowOut;
  private final int[] newSpikes;
  private final float[] readoutScratch;
  private final float[][] fromAbove;
  private final float[] q;
  private final float[] delta;
  private final float[] product;

  /** An engine for full BPTT. */
  public LifEngine(ModelConfig config, int batch) {
    this(config, batch, 0);
  }

  /**
   * An engine whose backward pass is truncated BPTT when {@code truncation} is K > 0: the adjoint
   * carried across time is cut (loss seed kept, {@link StateAdjoint#cutHistory()}) at every step t
   * > 0 with (T - t) a multiple of K, i.e. at the start of every K-step window counted back from
   * the end. The cut depends only on t and T, so every schedule still gives the store-all gradient
   * bit for bit. 0 is full BPTT.
   */
  public LifEngine(ModelConfig config, int batch, int truncation) {
    if (batch <= 0) {
      throw new IllegalArgumentException("batch: expected > 0, got " + batch);
    }
    if (truncation < 0) {
      throw new IllegalArgumentException(
          "truncation: expected 0 (full BPTT) or a window of K > 0 steps, got " + truncation);
    }
    this.truncation = truncation;
    this.config = config;
    this.layout = new ParameterLayout(config);
    this.batch = batch;
    this.depth = config.depth();
    this.classes = config.classes();
    width = new int[depth];
    inWidth = new int[depth];
    recurrent = new boolean[depth];
    beta = new float[depth];
    leak = new float[depth];
    inputT = new float[depth][][];
    recurrentT = new float[depth][][];
    bias = new float[depth][];
    recurrentProduct = new DenseProduct[depth];
    downProduct = new DenseProduct[depth];
    fromAbove = new float[depth][];
    int maxWidth = 0;
    for (int l = 0; l < depth; l++) {
      width[l] = config.width(l + 1);
      inWidth[l] = config.width(l);
      recurrent[l] = config.layers().get(l).recurrent();
      beta[l] = (float) config.layers().get(l).beta();
      leak[l] = (float) (1.0 - config.layers().get(l).beta());
      inputT[l] = new float[inWidth[l]][width[l]];
      recurrentT[l] = new float[recurrent[l] ? width[l] : 0][width[l]];
      bias[l] = new float[width[l]];
      if (recurrent[l]) {
        recurrentProduct[l] = new DenseProduct(batch, width[l], width[l]);
      }
      if (l > 0) {
        downProduct[l] = new DenseProduct(batch, width[l], inWidth[l]);
      }
      fromAbove[l] = new float[batch * width[l]];
      maxWidth = Math.max(maxWidth, Math.max(width[l], inWidth[l]));
    }
    theta = (float) config.theta();
    betaOut = (float) config.betaOut();
    leakOut = (float) (1.0 - config.betaOut());
    surrogate = config.surrogate();
    sparse = surrogate.compactSupport();
    int top = width[depth - 1];
    readoutT = new float[top * classes];
    readoutW = new float[classes][top];
    readoutBias = new float[classes];
    inIdx = new int[maxWidth];
    inVal = new float[maxWidth];
    current = new float[maxWidth];
    row = new float[maxWidth];
    rowOut = new float[maxWidth];
    newSpikes = new int[maxWidth];
    readoutScratch = new float[classes];
    q = new float[batch * maxWidth];
    delta = new float[batch * maxWidth];
    product = new float[batch * maxWidth];
  }

  public ModelConfig config() {
    return config;
  }

  public int batch() {
    return batch;
  }

  /** Takes (copies, in derived layouts) the parameter values; rejects non-finite ones. */
  public void loadParameters(Parameters parameters) {
    if (!parameters.config().equals(config)) {
      throw new IllegalArgumentException(
          "parameters: expected config "
              + config.toJson()
              + ", got "
              + parameters.config().toJson());
    }
    parameters.checkFinite();
    float[] p = parameters.data();
    for (int l = 0; l < depth; l++) {
      int id = l + 1;
      TensorView w = layout.view("W" + id);
      transpose(p, w.offset(), width[l], inWidth[l], inputT[l]);
      if (downProduct[l] != null) {
        downProduct[l].load(p, w.offset());
      }
      if (recurrent[l]) {
        TensorView r = layout.view("R" + id);
        transpose(p, r.offset(), width[l], width[l], recurrentT[l]);
        recurrentProduct[l].load(p, r.offset());
      }
      System.arraycopy(p, layout.view("b" + id).offset(), bias[l], 0, width[l]);
    }
    TensorView wo = layout.view("Wo");
    for (int c = 0; c < classes; c++) {
      System.arraycopy(p, wo.offset() + c * width[depth - 1], readoutW[c], 0, width[depth - 1]);
    }
    transpose(p, wo.offset(), classes, width[depth - 1], readoutT);
    System.arraycopy(p, layout.view("bo").offset(), readoutBias, 0, classes);
    loaded = true;
  }

  private static void transpose(float[] src, int offset, int rows, int cols, float[] dst) {
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        dst[j * rows + i] = src[offset + i * cols + j];
      }
    }
  }

  /**
   * dst[j][i] = src[offset + i * cols + j]: one array per column, see {@link DenseProduct#rows}.
   */
  private static void transpose(float[] src, int offset, int rows, int cols, float[][] dst) {
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        dst[j][i] = src[offset + i * cols + j];
      }
    }
  }

  /**
   * Runs forward steps t1 .. t2-1 from {@code state} (which must be at step t1) and leaves it at
   * t2. With a tape, records the steps: an empty tape is begun at t1, a non-empty one must end at
   * t1 and have room for the steps.
   */
  public void advance(NetworkState state, int t1, int t2, FrameSource frames, Tape tape) {
    requireLoaded();
    checkFrames(frames);
    checkState(state);
    if (t1 < 0 || t2 < t1 || t2 > frames.steps()) {
      throw new IllegalArgumentException(
          "advance: expected 0 <= t1 <= t2 <= " + frames.steps() + ", got t1=" + t1 + ", t2=" + t2);
    }
    if (state.step() != t1) {
      throw new IllegalArgumentException(
          "advance from t1="
              + t1
              + ": expected the state at step "
              + t1
              + ", got step "
              + state.step());
    }
    if (tape != null) {
      if (tape.batch() != batch) {
        throw new IllegalArgumentException(
            "tape batch: expected " + batch + ", got " + tape.batch());
      }
      if (tape.isEmpty()) {
        tape.begin(state);
      } else if (tape.endStep() != t1) {
        throw new IllegalArgumentException(
            "tape: expected it to end at t1=" + t1 + ", got it ending at " + tape.endStep());
      }
      if (tape.size() + (t2 - t1) > tape.capacity()) {
        throw new IllegalStateException(
            "tape full: "
                + (t2 - t1)
                + " more steps do not fit, capacity "
                + tape.capacity()
                + ", used "
                + tape.size());
      }
    }
    for (int t = t1; t < t2; t++) {
      forwardStep(state, t, frames, tape == null ? null : tape.append());
    }
    state.setStep(t2);
  }

  private void forwardStep(NetworkState state, int t, FrameSource frames, TapeStep rec) {
    for (int l = 0; l < depth; l++) {
      int n = width[l];
      int nIn = inWidth[l];
      float[] v = state.membrane(l);
      int[] counts = state.spikeCounts(l);
      int[] spikes = state.spikeIndices(l);
      int[] belowCounts = l > 0 ? state.spikeCounts(l - 1) : null;
      int[] belowSpikes = l > 0 ? state.spikeIndices(l - 1) : null;
      float[][] wT = inputT[l];
      float[][] rT = recurrentT[l];
      float b0 = beta[l];
      float lk = leak[l];
      float[] vb = row;
      float[] sur = rowOut;
      int spikeUsed = 0;
      int surUsed = 0;
      for (int b = 0; b < batch; b++) {
        float[] cur = current;
        System.arraycopy(bias[l], 0, cur, 0, n);
        if (l == 0) {
          int m = frames.fill(t, b, inIdx, inVal);
          for (int k = 0; k < m; k++) {
            float[] w = wT[inIdx[k]];
            float x = inVal[k];
            if (x == 1f) {
              for (int i = 0; i < n; i++) {
                cur[i] += w[i];
              }
            } else {
              for (int i = 0; i < n; i++) {
                cur[i] += x * w[i];
              }
            }
          }
        } else {
          int m = belowCounts[b];
          int bo = b * nIn;
          for (int k = 0; k < m; k++) {
            float[] w = wT[belowSpikes[bo + k]];
            for (int i = 0; i < n; i++) {
              cur[i] += w[i];
            }
          }
        }
        int po = b * n;
        int prev = counts[b];
        if (recurrent[l]) {
          for (int k = 0; k < prev; k++) {
            float[] r = rT[spikes[po + k]];
            for (int i = 0; i < n; i++) {
              cur[i] += r[i];
            }
          }
        }
        System.arraycopy(v, po, vb, 0, n);
        for (int i = 0; i < n; i++) {
          vb[i] = b0 * vb[i] + lk * cur[i];
        }
        for (int k = 0; k < prev; k++) {
          vb[spikes[po + k]] -= theta;
        }
        System.arraycopy(vb, 0, v, po, n);
        int s = 0;
        for (int i = 0; i < n; i++) {
          if (vb[i] > theta) {
            newSpikes[s++] = i;
          }
        }
        System.arraycopy(newSpikes, 0, spikes, po, s);
        counts[b] = s;
        if (rec != null) {
          int[] off = rec.spikeOffsets(l);
          off[b] = spikeUsed;
          int[] dst = rec.reserveSpikes(l, spikeUsed, s);
          System.arraycopy(newSpikes, 0, dst, spikeUsed, s);
          spikeUsed += s;
          if (sparse) {
            int[] soff = rec.surrogateOffsets(l);
            soff[b] = surUsed;
            rec.reserveSurrogate(l, surUsed, n);
            int[] si = rec.surrogateIndices(l);
            float[] sv = rec.surrogateValues(l);
            for (int i = 0; i < n; i++) {
              float d = surrogate.derivative(vb[i], theta);
              if (d != 0f) {
                si[surUsed] = i;
                sv[surUsed] = d;
                surUsed++;
              }
            }
          } else {
            for (int i = 0; i < n; i++) {
              sur[i] = surrogate.derivative(vb[i], theta);
            }
            System.arraycopy(sur, 0, rec.surrogateDense(l), po, n);
          }
        }
      }
      if (rec != null) {
        rec.spikeOffsets(l)[batch] = spikeUsed;
        if (sparse) {
          rec.surrogateOffsets(l)[batch] = surUsed;
        }
      }
    }
    readoutStep(state);
  }

  private void readoutStep(NetworkState state) {
    int top = depth - 1;
    int n = width[top];
    int[] counts = state.spikeCounts(top);
    int[] spikes = state.spikeIndices(top);
    float[] u = state.readout();
    float[] sum = state.readoutSum();
    float[] z = readoutScratch;
    for (int b = 0; b < batch; b++) {
      System.arraycopy(readoutBias, 0, z, 0, classes);
      for (int k = 0; k < counts[b]; k++) {
        int base = spikes[b * n + k] * classes;
        for (int c = 0; c < classes; c++) {
          z[c] += readoutT[base + c];
        }
      }
      int o = b * classes;
      for (int c = 0; c < classes; c++) {
        u[o + c] = betaOut * u[o + c] + leakOut * z[c];
        sum[o + c] += u[o + c];
      }
    }
  }

  /**
   * Backward over steps t2-1 down to t1, which {@code tape} must hold. {@code adjoint} must be at
   * step t2 (for the last segment: {@link LossHead#seed}); it is left at t1, holding the adjoint of
   * the state at t1. The segment's parameter gradients are added to {@code gradients}.
   */
  public void reverse(
      Tape tape,
      int t2,
      int t1,
      FrameSource frames,
      StateAdjoint adjoint,
      GradientAccumulator gradients) {
    requireLoaded();
    checkFrames(frames);
    if (tape.isEmpty() || t1 < tape.firstStep() || t2 > tape.endStep() || t1 > t2) {
      throw new IllegalArgumentException(
          "reverse: expected tape.firstStep() <= t1 <= t2 <= tape.endStep(), got t1="
              + t1
              + ", t2="
              + t2
              + ", tape ["
              + tape.firstStep()
              + ", "
              + tape.endStep()
              + ")");
    }
    if (adjoint.step() != t2) {
      throw new IllegalArgumentException(
          "reverse from t2="
              + t2
              + ": expected the adjoint at step "
              + t2
              + ", got step "
              + adjoint.step());
    }
    if (adjoint.batch() != batch || adjoint.depth() != depth) {
      throw new IllegalArgumentException(
          "adjoint shape: expected batch "
              + batch
              + " and depth "
              + depth
              + ", got "
              + adjoint.batch()
              + " and "
              + adjoint.depth());
    }
    if (!gradients.layout().config().equals(config)) {
      throw new IllegalArgumentException("gradient accumulator: built for a different config");
    }
    int steps = frames.steps();
    for (int t = t2 - 1; t >= t1; t--) {
      backwardStep(t, tape.step(t), tape.previous(t), frames, adjoint, gradients);
      if (truncation > 0 && t > 0 && (steps - t) % truncation == 0) {
        adjoint.cutHistory();
      }
    }
    adjoint.setStep(t1);
  }

  private void backwardStep(
      int t,
      TapeStep rec,
      TapeStep prevRec,
      FrameSource frames,
      StateAdjoint adj,
      GradientAccumulator grads) {
    readoutBackward(rec, adj, grads);
    for (int l = depth - 1; l >= 0; l--) {
      int n = width[l];
      int nIn = inWidth[l];
      int size = batch * n;
      float[] gs = fromAbove[l];
      float[] av = adj.membrane(l);
      float lk = leak[l];
      float b0 = beta[l];
      if (recurrent[l]) {
        float[] ar = adj.recurrent(l);
        for (int i = 0; i < size; i++) {
          gs[i] += lk * ar[i];
        }
      }
      if (sparse) {
        Arrays.fill(q, 0, size, 0f);
        int[] soff = rec.surrogateOffsets(l);
        int[] si = rec.surrogateIndices(l);
        float[] sv = rec.surrogateValues(l);
        for (int b = 0; b < batch; b++) {
          for (int k = soff[b]; k < soff[b + 1]; k++) {
            int i = b * n + si[k];
            q[i] = gs[i] * sv[k];
          }
        }
      } else {
        float[] sd = rec.surrogateDense(l);
        for (int i = 0; i < size; i++) {
          q[i] = gs[i] * sd[i];
        }
      }
      for (int i = 0; i < size; i++) {
        float gv = q[i] + av[i];
        av[i] = b0 * gv;
        delta[i] = lk * gv;
      }
      accumulate(l, t, rec, prevRec, frames, grads);
      if (recurrent[l]) {
        backProduct(recurrentProduct[l], rec, l, n, n, adj.recurrent(l), b0);
      }
      if (l > 0) {
        float[] ad = adj.down(l);
        backProduct(downProduct[l], rec, l, n, nIn, ad, b0);
        float[] below = fromAbove[l - 1];
        for (int i = 0; i < batch * nIn; i++) {
          below[i] = lk * ad[i];
        }
      }
    }
  }

  /**
   * carry = beta * carry + q M, with q M event-driven over the non-zero q of a sparse tape, or one
   * GEMM.
   */
  private void backProduct(
      DenseProduct m, TapeStep rec, int l, int rows, int cols, float[] carry, float b0) {
    int nonZero = sparse ? rec.surrogateOffsets(l)[batch] : batch * rows;
    if (sparse && !(m.usesGemm() && (long) nonZero * GEMM_SPARSITY_RATIO > (long) batch * rows)) {
      float[][] mat = m.rows();
      int[] soff = rec.surrogateOffsets(l);
      int[] si = rec.surrogateIndices(l);
      float[] acc = rowOut;
      for (int b = 0; b < batch; b++) {
        Arrays.fill(acc, 0, cols, 0f);
        for (int k = soff[b]; k < soff[b + 1]; k++) {
          int i = si[k];
          float s = q[b * rows + i];
          if (s != 0f) {
            float[] r = mat[i];
            for (int j = 0; j < cols; j++) {
              acc[j] += s * r[j];
            }
          }
        }
        System.arraycopy(acc, 0, product, b * cols, cols);
      }
    } else {
      m.multiply(q, product);
    }
    for (int i = 0; i < batch * cols; i++) {
      carry[i] = b0 * carry[i] + product[i];
    }
  }

  private void accumulate(
      int l, int t, TapeStep rec, TapeStep prevRec, FrameSource frames, GradientAccumulator grads) {
    int n = width[l];
    float[] db = grads.bias(l);
    float[][] dwT = grads.inputT(l);
    float[][] drT = grads.recurrentT(l);
    float[] d = row;
    for (int b = 0; b < batch; b++) {
      System.arraycopy(delta, b * n, d, 0, n);
      for (int i = 0; i < n; i++) {
        db[i] += d[i];
      }
      if (l == 0) {
        int m = frames.fill(t, b, inIdx, inVal);
        for (int k = 0; k < m; k++) {
          float[] g = dwT[inIdx[k]];
          float x = inVal[k];
          if (x == 1f) {
            for (int i = 0; i < n; i++) {
              g[i] += d[i];
            }
          } else {
            for (int i = 0; i < n; i++) {
              g[i] += x * d[i];
            }
          }
        }
      } else {
        int[] off = rec.spikeOffsets(l - 1);
        int[] idx = rec.spikeIndices(l - 1);
        for (int k = off[b]; k < off[b + 1]; k++) {
          float[] g = dwT[idx[k]];
          for (int i = 0; i < n; i++) {
            g[i] += d[i];
          }
        }
      }
      if (recurrent[l]) {
        int[] off = prevRec.spikeOffsets(l);
        int[] idx = prevRec.spikeIndices(l);
        for (int k = off[b]; k < off[b + 1]; k++) {
          float[] g = drT[idx[k]];
          for (int i = 0; i < n; i++) {
            g[i] += d[i];
          }
        }
      }
    }
  }

  private void readoutBackward(TapeStep rec, StateAdjoint adj, GradientAccumulator grads) {
    int top = depth - 1;
    int n = width[top];
    float[] au = adj.readout();
    float[] seed = adj.readoutSum();
    float[] dWoT = grads.readoutT();
    float[] dbo = grads.readoutBias();
    float[] gs = fromAbove[top];
    float[] e = readoutScratch;
    int[] off = rec.spikeOffsets(top);
    int[] idx = rec.spikeIndices(top);
    for (int b = 0; b < batch; b++) {
      int o = b * classes;
      for (int c = 0; c < classes; c++) {
        float g = seed[o + c] + au[o + c];
        e[c] = leakOut * g;
        au[o + c] = betaOut * g;
        dbo[c] += e[c];
      }
      for (int k = off[b]; k < off[b + 1]; k++) {
        int base = idx[k] * classes;
        for (int c = 0; c < classes; c++) {
          dWoT[base + c] += e[c];
        }
      }
      float[] acc = rowOut;
      Arrays.fill(acc, 0, n, 0f);
      for (int c = 0; c < classes; c++) {
        float ec = e[c];
        if (ec != 0f) {
          float[] w = readoutW[c];
          for (int j = 0; j < n; j++) {
            acc[j] += ec * w[j];
          }
        }
      }
      System.arraycopy(acc, 0, gs, b * n, n);
    }
  }

  private void requireLoaded() {
    if (!loaded) {
      throw new IllegalStateException("engine: loadParameters must be called before use");
    }
  }

  private void checkFrames(FrameSource frames) {
    if (frames.batchSize() != batch) {
      throw new IllegalArgumentException(
          "frames batch: expected " + batch + " sequences, got " + frames.batchSize());
    }
    if (frames.channels() != config.inputSize()) {
      throw new IllegalArgumentException(
          "frames channels: expected inputSize "
              + config.inputSize()
              + ", got "
              + frames.channels());
    }
  }

  private void checkState(NetworkState state) {
    if (state.batch() != batch || state.depth() != depth || state.classes() != classes) {
      throw new IllegalArgumentException(
          "state shape: expected batch "
              + batch
              + ", depth "
              + depth
              + ", classes "
              + classes
              + "; got "
              + state.batch()
              + ", "
              + state.depth()
              + ", "
              + state.classes());
    }
    for (int l = 0; l < depth; l++) {
      if (state.width(l) != width[l]) {
        throw new IllegalArgumentException(
            "state layer " + l + " width: expected " + width[l] + ", got " + state.width(l));
      }
    }
  }
}
