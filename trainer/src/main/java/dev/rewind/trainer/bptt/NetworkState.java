package dev.rewind.trainer.bptt;

import dev.rewind.trainer.model.ModelConfig;
import java.util.Arrays;

/**
 * What the next forward step needs, for a batch of B sequences after {@link #step()} steps: per
 * layer the membrane potentials v, the spikes s of the last step and, in an ALIF layer, the
 * adaptation variables a; for the readout u and the running sum of u (from which the logits are
 * taken, so a run split into segments gives the same logits). Layers are indexed from 0 here (layer
 * 0 is the model's layer 1).
 *
 * <p>Layout, exposed for lossless serialisation: {@code membrane(l)[b * N_l + i]}; spikes of row b
 * as {@code spikeCounts(l)[b]} ascending neuron indices at {@code spikeIndices(l)[b * N_l + k]};
 * {@code readout()[b * C + c]} and {@code readoutSum()} likewise. Whoever writes the arrays
 * directly calls {@link #checkConsistent()} afterwards.
 */
public final class NetworkState implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final int batch;
  private final int[] widths;
  private final int classes;
  private final float[][] membrane;
  private final float[][] adaptation;
  private final int[][] spikeCounts;
  private final int[][] spikeIndices;
  private final float[] readout;
  private final float[] readoutSum;
  private int step;

  /** The zero state at step 0 for {@code batch} sequences. */
  public NetworkState(ModelConfig config, int batch) {
    if (batch <= 0) {
      throw new IllegalArgumentException("batch: expected > 0, got " + batch);
    }
    this.batch = batch;
    this.classes = config.classes();
    int depth = config.depth();
    this.widths = new int[depth];
    this.membrane = new float[depth][];
    this.adaptation = new float[depth][];
    this.spikeCounts = new int[depth][];
    this.spikeIndices = new int[depth][];
    for (int l = 0; l < depth; l++) {
      widths[l] = config.width(l + 1);
      membrane[l] = new float[batch * widths[l]];
      adaptation[l] = new float[config.layers().get(l).adaptive() ? batch * widths[l] : 0];
      spikeCounts[l] = new int[batch];
      spikeIndices[l] = new int[batch * widths[l]];
    }
    this.readout = new float[batch * classes];
    this.readoutSum = new float[batch * classes];
  }

  public int batch() {
    return batch;
  }

  public int depth() {
    return widths.length;
  }

  public int width(int layer) {
    return widths[layer];
  }

  public int classes() {
    return classes;
  }

  /** Number of steps taken from the start of the sequence. */
  public int step() {
    return step;
  }

  public void setStep(int step) {
    if (step < 0) {
      throw new IllegalArgumentException("state step: expected >= 0, got " + step);
    }
    this.step = step;
  }

  public float[] membrane(int layer) {
    return membrane[layer];
  }

  /** The adaptation variables a of an ALIF layer, {@code [b * N_l + i]}; empty for a LIF layer. */
  public float[] adaptation(int layer) {
    return adaptation[layer];
  }

  public int[] spikeCounts(int layer) {
    return spikeCounts[layer];
  }

  public int[] spikeIndices(int layer) {
    return spikeIndices[layer];
  }

  public float[] readout() {
    return readout;
  }

  public float[] readoutSum() {
    return readoutSum;
  }

  /** Bytes of all arrays (4 per int or float): the cost of keeping a copy. */
  public long byteSize() {
    long bytes = 8L * readout.length;
    for (int l = 0; l < widths.length; l++) {
      bytes += 4L * (2L * batch * widths[l] + batch + adaptation[l].length);
    }
    return bytes;
  }

  /** Back to the zero state at step 0. */
  public void reset() {
    for (int l = 0; l < widths.length; l++) {
      Arrays.fill(membrane[l], 0f);
      Arrays.fill(adaptation[l], 0f);
      Arrays.fill(spikeCounts[l], 0);
    }
    Arrays.fill(readout, 0f);
    Arrays.fill(readoutSum, 0f);
    step = 0;
  }

  /** Copies {@code other} (same shape) into this state without allocating. */
  public void copyFrom(NetworkState other) {
    checkSameShape(other);
    for (int l = 0; l < widths.length; l++) {
      System.arraycopy(other.membrane[l], 0, membrane[l], 0, membrane[l].length);
      System.arraycopy(other.adaptation[l], 0, adaptation[l], 0, adaptation[l].length);
      System.arraycopy(other.spikeCounts[l], 0, spikeCounts[l], 0, batch);
      int n = widths[l];
      for (int b = 0; b < batch; b++) {
        System.arraycopy(
            other.spikeIndices[l], b * n, spikeIndices[l], b * n, other.spikeCounts[l][b]);
      }
    }
    System.arraycopy(other.readout, 0, readout, 0, readout.length);
    System.arraycopy(other.readoutSum, 0, readoutSum, 0, readoutSum.length);
    step = other.step;
  }

  /** Spikes of layer {@code layer} as a 0/1 mask {@code out[b * N + i]}. */
  public void spikeMask(int layer, float[] out) {
    int n = widths[layer];
    Arrays.fill(out, 0, batch * n, 0f);
    for (int b = 0; b < batch; b++) {
      for (int k = 0; k < spikeCounts[layer][b]; k++) {
        out[b * n + spikeIndices[layer][b * n + k]] = 1f;
      }
    }
  }

  /** Sets the spikes of {@code layer} from a 0/1 mask {@code mask[b * N + i]}. */
  public void setSpikesFromMask(int layer, float[] mask) {
    int n = widths[layer];
    for (int b = 0; b < batch; b++) {
      int k = 0;
      for (int i = 0; i < n; i++) {
        float x = mask[b * n + i];
        if (x == 1f) {
          spikeIndices[layer][b * n + k++] = i;
        } else if (x != 0f) {
          throw new IllegalArgumentException(
              "spike mask of layer "
                  + layer
                  + ", row "
                  + b
                  + ", neuron "
                  + i
                  + ": expected 0 or 1, got "
                  + x);
        }
      }
      spikeCounts[layer][b] = k;
    }
  }

  /** Throws IllegalArgumentException if a spike list is out of range or not ascending. */
  public void checkConsistent() {
    for (int l = 0; l < widths.length; l++) {
      int n = widths[l];
      for (int b = 0; b < batch; b++) {
        int count = spikeCounts[l][b];
        if (count < 0 || count > n) {
          throw new IllegalArgumentException(
              "state layer "
                  + l
                  + ", row "
                  + b
                  + ": expected spike count in [0, "
                  + n
                  + "], got "
                  + count);
        }
        int prev = -1;
        for (int k = 0; k < count; k++) {
          int i = spikeIndices[l][b * n + k];
          if (i <= prev || i >= n) {
            throw new IllegalArgumentException(
                "state layer "
                    + l
                    + ", row "
                    + b
                    + ": expected ascending spike indices in [0, "
                    + n
                    + "), got "
                    + i
                    + " after "
                    + prev);
          }
          prev = i;
        }
      }
    }
  }

  void checkSameShape(NetworkState other) {
    boolean adaptive = true;
    for (int l = 0; l < widths.length && l < other.widths.length; l++) {
      adaptive &= other.adaptation[l].length == adaptation[l].length;
    }
    if (other.batch != batch
        || !Arrays.equals(other.widths, widths)
        || other.classes != classes
        || !adaptive) {
      throw new IllegalArgumentException(
          "state shape: expected batch "
              + batch
              + ", widths "
              + Arrays.toString(widths)
              + ", classes "
              + classes
              + "; got batch "
              + other.batch
              + ", widths "
              + Arrays.toString(other.widths)
              + ", classes "
              + other.classes);
    }
  }
}
