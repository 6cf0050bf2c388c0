package dev.rewind.trainer.bptt;

import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.ModelConfig;
import java.util.Arrays;

/**
 * What the backward pass needs from one forward step, per layer l (0-based): the spikes the layer
 * emitted, as ascending neuron indices per batch row in CSR form ({@code spikeOffsets(l)} has B+1
 * entries, row b's indices are {@code spikeIndices(l)[off[b] .. off[b+1])}), and the surrogate
 * derivative at v_t: dense {@code [b * N + i]} for a surrogate without compact support, or only its
 * non-zero entries in the same CSR form (offsets, indices, values) for one with compact support,
 * which is exact. Under a per-step loss head it also holds the readout u_t {@code [b * C + c]},
 * from which the backward seeds that step. The arrays may be longer than their used part; {@link
 * #spikeTotal(int)} and {@link #surrogateTotal(int)} give the used lengths.
 *
 * <p>Instances are pooled by a {@link Tape} and refilled in place; buffers only grow.
 */
public final class TapeStep {
  private final int batch;
  private final int[] widths;
  private final boolean sparse;
  private final int[][] spikeOffsets;
  private int[][] spikeIndices;
  private final float[][] surrogateDense;
  private final int[][] surrogateOffsets;
  private int[][] surrogateIndices;
  private float[][] surrogateValues;
  private final float[] readout;
  private final float[][] membraneLeakTerm;
  private final float[][] adaptationLeakTerm;
  private final float[] readoutLeakTerm;

  /** A step of {@code config}'s network for {@code batch} rows; {@code widths} are its N_l. */
  TapeStep(ModelConfig config, int batch, int[] widths) {
    this.batch = batch;
    // A per-step loss head seeds every step's readout from u_t.
    this.readout = new float[config.loss().perStep() ? batch * config.classes() : 0];
    this.widths = widths;
    this.sparse = config.surrogate().compactSupport();
    int depth = widths.length;
    // Trainable time constants: what d v_t / d beta, d a_t / d rho and d u_t / d beta_o are.
    membraneLeakTerm = new float[depth][];
    adaptationLeakTerm = new float[depth][];
    for (int l = 0; l < depth; l++) {
      LayerConfig layer = config.layers().get(l);
      membraneLeakTerm[l] = new float[layer.trainTau() ? batch * widths[l] : 0];
      adaptationLeakTerm[l] =
          new float[layer.trainTau() && layer.adaptive() ? batch * widths[l] : 0];
    }
    readoutLeakTerm = new float[config.trainReadoutTau() ? batch * config.classes() : 0];
    spikeOffsets = new int[depth][batch + 1];
    spikeIndices = new int[depth][];
    surrogateDense = new float[depth][];
    surrogateOffsets = new int[depth][];
    surrogateIndices = new int[depth][];
    surrogateValues = new float[depth][];
    for (int l = 0; l < depth; l++) {
      int initial = Math.max(16, batch * widths[l] / 16);
      spikeIndices[l] = new int[initial];
      if (sparse) {
        surrogateOffsets[l] = new int[batch + 1];
        surrogateIndices[l] = new int[initial];
        surrogateValues[l] = new float[initial];
      } else {
        surrogateDense[l] = new float[batch * widths[l]];
      }
    }
  }

  public int depth() {
    return widths.length;
  }

  public int batch() {
    return batch;
  }

  /** True when the surrogate is stored sparsely (compact-support surrogate). */
  public boolean sparseSurrogate() {
    return sparse;
  }

  public int[] spikeOffsets(int layer) {
    return spikeOffsets[layer];
  }

  public int[] spikeIndices(int layer) {
    return spikeIndices[layer];
  }

  public int spikeTotal(int layer) {
    return spikeOffsets[layer][batch];
  }

  /** Dense surrogate derivatives; null when {@link #sparseSurrogate()}. */
  public float[] surrogateDense(int layer) {
    return surrogateDense[layer];
  }

  /** CSR offsets of the non-zero surrogate entries; null unless {@link #sparseSurrogate()}. */
  public int[] surrogateOffsets(int layer) {
    return surrogateOffsets[layer];
  }

  public int[] surrogateIndices(int layer) {
    return surrogateIndices[layer];
  }

  public float[] surrogateValues(int layer) {
    return surrogateValues[layer];
  }

  /** The readout u_t of every row; empty unless the loss head is per-step. */
  public float[] readout() {
    return readout;
  }

  /**
   * [b * N + i]: v_{t-1} - c_t of a layer with trainable time constants, d v_t / d beta (MODEL_SPEC
   * v2); empty for a layer with fixed ones.
   */
  public float[] membraneLeakTerm(int layer) {
    return membraneLeakTerm[layer];
  }

  /** [b * N + i]: a_{t-1} - s_{t-1} of a trainable ALIF layer, d a_t / d rho; else empty. */
  public float[] adaptationLeakTerm(int layer) {
    return adaptationLeakTerm[layer];
  }

  /** [b * C + c]: u_{t-1} - (W_o s_t + b_o) with a trainable readout leak, d u_t / d beta_o. */
  public float[] readoutLeakTerm() {
    return readoutLeakTerm;
  }

  /** Number of stored surrogate values of a layer (B x N when dense). */
  public int surrogateTotal(int layer) {
    return sparse ? surrogateOffsets[layer][batch] : batch * widths[layer];
  }

  /**
   * Bytes of the used part of this step's arrays (4 per int or float): what keeping it costs, for
   * memory budgets and storage planning.
   */
  public long usedBytes() {
    long bytes = 4L * readout.length + 4L * readoutLeakTerm.length;
    for (int l = 0; l < widths.length; l++) {
      bytes += 4L * membraneLeakTerm[l].length + 4L * adaptationLeakTerm[l].length;
      bytes += 4L * (batch + 1 + spikeTotal(l));
      bytes += sparse ? 4L * (batch + 1 + 2L * surrogateTotal(l)) : 4L * surrogateTotal(l);
    }
    return bytes;
  }

  /** Makes room for {@code extra} more spike indices after {@code used}; grows, never shrinks. */
  int[] reserveSpikes(int layer, int used, int extra) {
    if (used + extra > spikeIndices[layer].length) {
      spikeIndices[layer] =
          Arrays.copyOf(
              spikeIndices[layer], Math.max(used + extra, 2 * spikeIndices[layer].length));
    }
    return spikeIndices[layer];
  }

  void reserveSurrogate(int layer, int used, int extra) {
    if (used + extra > surrogateIndices[layer].length) {
      int size = Math.max(used + extra, 2 * surrogateIndices[layer].length);
      surrogateIndices[layer] = Arrays.copyOf(surrogateIndices[layer], size);
      surrogateValues[layer] = Arrays.copyOf(surrogateValues[layer], size);
    }
  }

  /**
   * Replaces layer {@code layer}'s spikes (copying), e.g. when reading a tape back from storage.
   */
  public void loadSpikes(int layer, int[] offsets, int[] indices) {
    checkOffsets("spike", layer, offsets, widths[layer]);
    int total = offsets[batch];
    reserveSpikes(layer, 0, total);
    System.arraycopy(offsets, 0, spikeOffsets[layer], 0, batch + 1);
    System.arraycopy(indices, 0, spikeIndices[layer], 0, total);
  }

  /** Replaces a dense surrogate (copying); only for a dense tape. */
  public void loadSurrogateDense(int layer, float[] values) {
    if (sparse || values.length < batch * widths[layer]) {
      throw new IllegalArgumentException(
          "dense surrogate of layer "
              + layer
              + ": expected a dense tape and "
              + batch * widths[layer]
              + " values, got sparse="
              + sparse
              + ", "
              + values.length);
    }
    System.arraycopy(values, 0, surrogateDense[layer], 0, batch * widths[layer]);
  }

  /** Replaces a sparse surrogate (copying); only for a sparse tape. */
  public void loadSurrogateSparse(int layer, int[] offsets, int[] indices, float[] values) {
    if (!sparse) {
      throw new IllegalArgumentException(
          "sparse surrogate of layer " + layer + ": expected a sparse tape, got a dense one");
    }
    checkOffsets("surrogate", layer, offsets, widths[layer]);
    int total = offsets[batch];
    reserveSurrogate(layer, 0, total);
    System.arraycopy(offsets, 0, surrogateOffsets[layer], 0, batch + 1);
    System.arraycopy(indices, 0, surrogateIndices[layer], 0, total);
    System.arraycopy(values, 0, surrogateValues[layer], 0, total);
  }

  private void checkOffsets(String what, int layer, int[] offsets, int width) {
    if (offsets.length < batch + 1 || offsets[0] != 0) {
      throw new IllegalArgumentException(
          what
              + " offsets of layer "
              + layer
              + ": expected "
              + (batch + 1)
              + " entries starting at 0, got "
              + offsets.length);
    }
    for (int b = 0; b < batch; b++) {
      int n = offsets[b + 1] - offsets[b];
      if (n < 0 || n > width) {
        throw new IllegalArgumentException(
            what
                + " offsets of layer "
                + layer
                + ", row "
                + b
                + ": expected a count in [0, "
                + width
                + "], got "
                + n);
      }
    }
  }

  /** Replaces the readout (copying); only under a per-step loss head. */
  public void loadReadout(float[] values) {
    if (values.length < readout.length) {
      throw new IllegalArgumentException(
          "readout: expected " + readout.length + " values, got " + values.length);
    }
    System.arraycopy(values, 0, readout, 0, readout.length);
  }

  /** Copies another step of the same shape into this one. */
  public void copyFrom(TapeStep other) {
    loadReadout(other.readout);
    for (int l = 0; l < widths.length; l++) {
      loadSpikes(l, other.spikeOffsets[l], other.spikeIndices[l]);
      if (sparse) {
        loadSurrogateSparse(
            l, other.surrogateOffsets[l], other.surrogateIndices[l], other.surrogateValues[l]);
      } else {
        loadSurrogateDense(l, other.surrogateDense[l]);
      }
    }
  }
}
