package dev.rewind.trainer.bptt;

import dev.rewind.trainer.model.ModelConfig;
import java.util.Arrays;

/**
 * Everything the backward pass carries across a step boundary: the adjoint of a {@link
 * NetworkState} at step {@link #step()}. Per layer l (0-based), with gv_t = dL/dv_t in total:
 *
 * <ul>
 *   <li>{@code membrane(l)} = beta_l * gv_{t+1}, the adjoint of v_t through the future;
 *   <li>{@code recurrent(l)} = R_l^T gv_{t+1} (recurrent layers; empty otherwise), so that the
 *       adjoint of s_t through the future is (1 - beta_l) times it;
 *   <li>{@code down(l)} = W_l^T gv_{t+1} (layers above the first; empty for layer 0), the part of
 *       the layer below's spike adjoint that flows through the leak of layer l;
 *   <li>{@code adaptation(l)} = dL/da_{t+1} in total (ALIF layers; empty otherwise), of which the
 *       adjoint of s_t through the future takes (1 - rho_l).
 * </ul>
 *
 * Carrying the two products rather than recomputing them is what lets the backward pass be
 * event-driven over the non-zero surrogate entries. For the readout: {@code readout()} = beta_o *
 * du_{t+1}, and {@code readoutSum()} = dL/dlogits / T, the adjoint of the running sum of u (the
 * loss seed, set by {@link LossHead#seed}). Arrays are row-major {@code [b * N + i]}.
 */
public final class StateAdjoint implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final int batch;
  private final float[][] membrane;
  private final float[][] recurrent;
  private final float[][] down;
  private final float[][] adaptation;
  private final float[] readout;
  private final float[] readoutSum;
  private int step;

  public StateAdjoint(ModelConfig config, int batch) {
    if (batch <= 0) {
      throw new IllegalArgumentException("batch: expected > 0, got " + batch);
    }
    this.batch = batch;
    int depth = config.depth();
    membrane = new float[depth][];
    recurrent = new float[depth][];
    down = new float[depth][];
    adaptation = new float[depth][];
    for (int l = 0; l < depth; l++) {
      int n = config.width(l + 1);
      membrane[l] = new float[batch * n];
      recurrent[l] = new float[config.layers().get(l).recurrent() ? batch * n : 0];
      down[l] = new float[l == 0 ? 0 : batch * config.width(l)];
      adaptation[l] = new float[config.layers().get(l).adaptive() ? batch * n : 0];
    }
    readout = new float[batch * config.classes()];
    readoutSum = new float[batch * config.classes()];
  }

  public int batch() {
    return batch;
  }

  public int depth() {
    return membrane.length;
  }

  /** The step whose state this is the adjoint of. */
  public int step() {
    return step;
  }

  public void setStep(int step) {
    if (step < 0) {
      throw new IllegalArgumentException("adjoint step: expected >= 0, got " + step);
    }
    this.step = step;
  }

  public float[] membrane(int layer) {
    return membrane[layer];
  }

  public float[] recurrent(int layer) {
    return recurrent[layer];
  }

  public float[] down(int layer) {
    return down[layer];
  }

  public float[] adaptation(int layer) {
    return adaptation[layer];
  }

  public float[] readout() {
    return readout;
  }

  public float[] readoutSum() {
    return readoutSum;
  }

  /**
   * Zeroes everything carried from the future but keeps the loss seed: what truncated BPTT does at
   * a window start.
   */
  public void cutHistory() {
    for (int l = 0; l < membrane.length; l++) {
      Arrays.fill(membrane[l], 0f);
      Arrays.fill(recurrent[l], 0f);
      Arrays.fill(down[l], 0f);
      Arrays.fill(adaptation[l], 0f);
    }
    Arrays.fill(readout, 0f);
  }

  /** All zero, at step {@code step}. */
  public void reset(int step) {
    cutHistory();
    Arrays.fill(readoutSum, 0f);
    setStep(step);
  }

  /** Copies {@code other} (same shape) without allocating. */
  public void copyFrom(StateAdjoint other) {
    if (other.batch != batch
        || other.depth() != depth()
        || other.readout.length != readout.length) {
      throw new IllegalArgumentException(
          "adjoint shape: expected batch "
              + batch
              + ", depth "
              + depth()
              + ", "
              + readout.length
              + " readout entries; got "
              + other.batch
              + ", "
              + other.depth()
              + ", "
              + other.readout.length);
    }
    for (int l = 0; l < membrane.length; l++) {
      if (other.membrane[l].length != membrane[l].length
          || other.recurrent[l].length != recurrent[l].length
          || other.adaptation[l].length != adaptation[l].length) {
        throw new IllegalArgumentException(
            "adjoint layer "
                + l
                + ": expected "
                + membrane[l].length
                + " membrane and "
                + recurrent[l].length
                + " recurrent entries, got "
                + other.membrane[l].length
                + " and "
                + other.recurrent[l].length);
      }
    }
    for (int l = 0; l < membrane.length; l++) {
      System.arraycopy(other.membrane[l], 0, membrane[l], 0, membrane[l].length);
      System.arraycopy(other.recurrent[l], 0, recurrent[l], 0, recurrent[l].length);
      System.arraycopy(other.down[l], 0, down[l], 0, down[l].length);
      System.arraycopy(other.adaptation[l], 0, adaptation[l], 0, adaptation[l].length);
    }
    System.arraycopy(other.readout, 0, readout, 0, readout.length);
    System.arraycopy(other.readoutSum, 0, readoutSum, 0, readoutSum.length);
    step = other.step;
  }
}
