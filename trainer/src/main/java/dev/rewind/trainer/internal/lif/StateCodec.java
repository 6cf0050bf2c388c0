package dev.rewind.trainer.internal.lif;

import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.SpikeFrame;
import dev.rewind.trainer.bptt.NetworkState;

/**
 * Lossless conversion of a {@link NetworkState} to two blobs and back: the dense part (membrane
 * potentials of every layer, each followed by its adaptation variables in an ALIF layer, then the
 * readout and its running sum) as one {@link FloatBlock}, and the spikes of every layer as one
 * {@link SpikeFrame} of {@code depth * B} rows (layer-major) over the widest layer's columns, so
 * the store's spike codec picks bitmap or delta indices per row. Restoring gives the same bits,
 * which is what makes off-chip checkpoints exact.
 */
final class StateCodec {
  private final int batch;
  private final int depth;
  private final int[] widths;
  private final int classes;
  private final int maxWidth;
  private final int denseLength;

  StateCodec(NetworkState shape) {
    this.batch = shape.batch();
    this.depth = shape.depth();
    this.classes = shape.classes();
    this.widths = new int[depth];
    int max = 0;
    int dense = 2 * batch * classes;
    for (int l = 0; l < depth; l++) {
      widths[l] = shape.width(l);
      max = Math.max(max, widths[l]);
      dense += batch * widths[l] + shape.adaptation(l).length;
    }
    this.maxWidth = max;
    this.denseLength = dense;
  }

  /** Bytes of the arrays a state holds on the heap (what one memory slot costs). */
  long heapBytes() {
    long bytes = 4L * denseLength;
    for (int l = 0; l < depth; l++) {
      bytes += 4L * batch * (widths[l] + 1);
    }
    return bytes;
  }

  /** The dense part, in fresh arrays (safe to hand to another thread). */
  FloatBlock dense(NetworkState state) {
    float[] out = new float[denseLength];
    int o = 0;
    for (int l = 0; l < depth; l++) {
      float[] v = state.membrane(l);
      System.arraycopy(v, 0, out, o, v.length);
      o += v.length;
      float[] a = state.adaptation(l);
      System.arraycopy(a, 0, out, o, a.length);
      o += a.length;
    }
    System.arraycopy(state.readout(), 0, out, o, batch * classes);
    o += batch * classes;
    System.arraycopy(state.readoutSum(), 0, out, o, batch * classes);
    return FloatBlock.of(out);
  }

  /** The spikes, in fresh arrays. */
  SpikeFrame spikes(NetworkState state) {
    int rows = depth * batch;
    int[] offsets = new int[rows + 1];
    int total = 0;
    for (int l = 0; l < depth; l++) {
      int[] counts = state.spikeCounts(l);
      for (int b = 0; b < batch; b++) {
        total += counts[b];
        offsets[l * batch + b + 1] = total;
      }
    }
    int[] indices = new int[total];
    for (int l = 0; l < depth; l++) {
      int[] counts = state.spikeCounts(l);
      int[] src = state.spikeIndices(l);
      for (int b = 0; b < batch; b++) {
        System.arraycopy(src, b * widths[l], indices, offsets[l * batch + b], counts[b]);
      }
    }
    return new SpikeFrame(rows, maxWidth, offsets, indices);
  }

  /**
   * Writes the blobs back into {@code state} and sets its step. Throws IllegalArgumentException
   * naming {@code what} when the blobs do not have this state's shape.
   */
  void restore(String what, FloatBlock dense, SpikeFrame spikes, int step, NetworkState state) {
    float[] d = dense.data();
    if (d.length != denseLength) {
      throw new IllegalArgumentException(
          what + ": expected " + denseLength + " dense values, got " + d.length);
    }
    if (spikes.rows() != depth * batch || spikes.cols() != maxWidth) {
      throw new IllegalArgumentException(
          what
              + ": expected spikes of "
              + depth * batch
              + " x "
              + maxWidth
              + ", got "
              + spikes.rows()
              + " x "
              + spikes.cols());
    }
    int o = 0;
    for (int l = 0; l < depth; l++) {
      float[] v = state.membrane(l);
      System.arraycopy(d, o, v, 0, v.length);
      o += v.length;
      float[] a = state.adaptation(l);
      System.arraycopy(d, o, a, 0, a.length);
      o += a.length;
    }
    System.arraycopy(d, o, state.readout(), 0, batch * classes);
    o += batch * classes;
    System.arraycopy(d, o, state.readoutSum(), 0, batch * classes);
    int[] offsets = spikes.rowOffsets();
    int[] indices = spikes.indices();
    for (int l = 0; l < depth; l++) {
      int[] counts = state.spikeCounts(l);
      int[] dst = state.spikeIndices(l);
      for (int b = 0; b < batch; b++) {
        int from = offsets[l * batch + b];
        int count = offsets[l * batch + b + 1] - from;
        if (count > widths[l]) {
          throw new IllegalArgumentException(
              what
                  + ": layer "
                  + l
                  + " row "
                  + b
                  + ": expected at most "
                  + widths[l]
                  + " spikes, got "
                  + count);
        }
        System.arraycopy(indices, from, dst, b * widths[l], count);
        counts[b] = count;
      }
    }
    state.checkConsistent();
    state.setStep(step);
  }
}
