package dev.rewind.trainer.bptt;

/**
 * Adds one step's weight and bias gradients of a layer from its delta = dL/dc (B x N): the bias
 * gets delta, W's row of every input event or spike below and R's row of every own spike of the
 * step before get delta times the event's value, in the global order (batch row, then event
 * ascending). Works on a column range, so threads that own disjoint ranges never share an entry.
 */
final class WeightGradients {
  private final LifWeights w;
  private final int batch;
  private final float[] delta;

  WeightGradients(LifWeights weights, int batch, float[] delta) {
    this.w = weights;
    this.batch = batch;
    this.delta = delta;
  }

  /**
   * Columns [i0, i1) of layer l's gradients; {@code inputs} are the step's input events (read for
   * layer 0), {@code rec} is the step's tape entry, {@code prevRec} the one before, {@code d} a row
   * of scratch (C2 vectorises {@code g[i] += d[i]}, not a loop over delta at a row offset).
   */
  void add(
      int l,
      GradientAccumulator grads,
      StepInputs inputs,
      TapeStep rec,
      TapeStep prevRec,
      int i0,
      int i1,
      float[] d) {
    int n = w.width[l];
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
        overSpikes(rec, l - 1, b, dwT, d, i0, i1);
      }
      if (w.recurrent[l]) {
        overSpikes(prevRec, l, b, drT, d, i0, i1);
      }
    }
  }

  /** g[s][i] += d[i] for every spike s of row b of {@code step}'s layer {@code l}. */
  private static void overSpikes(
      TapeStep step, int l, int b, float[][] g, float[] d, int i0, int i1) {
    int[] off = step.spikeOffsets(l);
    int[] idx = step.spikeIndices(l);
    for (int k = off[b]; k < off[b + 1]; k++) {
      float[] gk = g[idx[k]];
      for (int i = i0; i < i1; i++) {
        gk[i] += d[i];
      }
    }
  }
}
