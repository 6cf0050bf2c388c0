package dev.rewind.trainer.bptt;

/**
 * The weight and bias gradients of one layer over a chunk of steps, the only sums over batch rows
 * in the backward pass: a thread owns a range of rows of each gradient matrix (presynaptic
 * neurons), so no row has two writers, and adds its terms in the global order (step descending,
 * batch row, event ascending), which is why the sums do not depend on the thread count.
 */
final class WeightGradients {
  private final LifWeights w;
  private final int batch;

  WeightGradients(LifWeights weights, int batch) {
    this.w = weights;
    this.batch = batch;
  }

  /**
   * Layer l's weight and bias gradients over a chunk of {@code steps} steps: this part's rows of W
   * and R (presynaptic neurons), part 0 the bias, each in step-descending, batch-row order. {@code
   * deltaChunk} holds dL/dc of every step ([s][b][i]); {@code d} is a row of scratch (C2 vectorises
   * {@code g[i] += d[i]}, not a loop over delta at a row offset).
   */
  void add(
      int l,
      int steps,
      GradientAccumulator grads,
      StepInputs[] inputs,
      TapeStep[] recs,
      TapeStep[] prevRecs,
      float[] deltaChunk,
      int part,
      int roundParts,
      float[] d) {
    int n = w.width[l];
    int size = batch * n;
    int w0 = NeuronSplit.from(w.inWidth[l], part, roundParts);
    int w1 = NeuronSplit.to(w.inWidth[l], part, roundParts);
    int q0 = NeuronSplit.from(n, part, roundParts);
    int q1 = NeuronSplit.to(n, part, roundParts);
    float[] db = grads.bias(l);
    float[][] dwT = grads.inputT(l);
    float[][] drT = grads.recurrentT(l);
    for (int s = steps - 1; s >= 0; s--) {
      for (int b = 0; b < batch; b++) {
        System.arraycopy(deltaChunk, s * size + b * n, d, 0, n);
        if (part == 0) {
          addRow(db, d, n);
        }
        if (l == 0) {
          StepInputs in = inputs[s];
          int eo = b * in.channels;
          for (int k = eo; k < eo + in.count[b]; k++) {
            int pre = in.index[k];
            if (pre >= w0 && pre < w1) {
              float x = in.value[k];
              float[] gk = dwT[pre];
              if (x == 1f) {
                addRow(gk, d, n);
              } else {
                for (int i = 0; i < n; i++) {
                  gk[i] += x * d[i];
                }
              }
            }
          }
        } else {
          overSpikes(recs[s], l - 1, b, dwT, d, n, w0, w1);
        }
        if (w.recurrent[l]) {
          overSpikes(prevRecs[s], l, b, drT, d, n, q0, q1);
        }
      }
    }
  }

  /** g[k] += d for every spike k in [k0, k1) of row b of {@code step}'s layer {@code l}. */
  private static void overSpikes(
      TapeStep step, int l, int b, float[][] g, float[] d, int n, int k0, int k1) {
    int[] off = step.spikeOffsets(l);
    int[] idx = step.spikeIndices(l);
    for (int k = off[b]; k < off[b + 1]; k++) {
      int pre = idx[k];
      if (pre >= k0 && pre < k1) {
        addRow(g[pre], d, n);
      }
    }
  }

  private static void addRow(float[] g, float[] d, int n) {
    for (int i = 0; i < n; i++) {
      g[i] += d[i];
    }
  }
}
