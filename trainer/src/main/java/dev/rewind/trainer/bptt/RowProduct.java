package dev.rewind.trainer.bptt;

import java.util.Arrays;

/**
 * {@code out[b][j] = sum_i q[b][i] * M[i][j]} for a batch of row vectors q and a fixed matrix M
 * (one array per row, {@code M[i]} of length cols): the backward products q W and q R.
 *
 * <p>One definition of every output element, whatever computes it: a chain of fused multiply-adds
 * over i ascending, starting from +0. A zero {@code q[b][i]} adds +0 or -0 to a sum that is never
 * -0, so skipping it changes no bit: the dense kernel, the event-driven one and any split of the
 * columns across threads give the same bits. The kernels run on the JDK's Vector API when the JVM
 * has {@code --add-modules jdk.incubator.vector} and as scalar {@link Math#fma} loops otherwise,
 * with the same results.
 *
 * <p>The scalar loops accumulate in separate arrays ({@code scratch}, 4 rows of at least cols),
 * indexed like the matrix rows: C2 vectorises {@code a[j] += s * r[j]} but not a loop over a slice
 * of {@code out} at an offset, which might alias r.
 */
final class RowProduct {
  private RowProduct() {}

  /** Whether the Vector API kernels are in use (the module is in the boot layer). */
  static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  /**
   * Dense: columns [j0, j1) of out (row stride cols) for rows [rowFrom, rowTo) of q (row stride
   * inner).
   */
  static void multiply(
      float[] q,
      int rowFrom,
      int rowTo,
      int inner,
      float[][] m,
      float[] out,
      int cols,
      int j0,
      int j1,
      float[][] scratch) {
    if (VECTOR) {
      VectorRowProduct.multiply(q, rowFrom, rowTo, inner, m, out, cols, j0, j1);
    } else {
      multiplyScalar(q, rowFrom, rowTo, inner, m, out, cols, j0, j1, scratch);
    }
  }

  static void multiplyScalar(
      float[] q,
      int rowFrom,
      int rowTo,
      int inner,
      float[][] m,
      float[] out,
      int cols,
      int j0,
      int j1,
      float[][] scratch) {
    float[] a0 = scratch[0];
    float[] a1 = scratch[1];
    float[] a2 = scratch[2];
    float[] a3 = scratch[3];
    for (int b = rowFrom; b < rowTo; b += 4) {
      int rows = Math.min(4, rowTo - b);
      for (int k = 0; k < 4; k++) {
        Arrays.fill(scratch[k], j0, j1, 0f);
      }
      // Rows past the batch read row b's q again into an accumulator that is not written out.
      int q0 = b * inner;
      int q1 = (b + Math.min(1, rows - 1)) * inner;
      int q2 = (b + Math.min(2, rows - 1)) * inner;
      int q3 = (b + Math.min(3, rows - 1)) * inner;
      for (int i = 0; i < inner; i++) {
        float s0 = q[q0 + i];
        float s1 = q[q1 + i];
        float s2 = q[q2 + i];
        float s3 = q[q3 + i];
        float[] r = m[i];
        for (int j = j0; j < j1; j++) {
          float x = r[j];
          a0[j] = Math.fma(s0, x, a0[j]);
          a1[j] = Math.fma(s1, x, a1[j]);
          a2[j] = Math.fma(s2, x, a2[j]);
          a3[j] = Math.fma(s3, x, a3[j]);
        }
      }
      for (int k = 0; k < rows; k++) {
        System.arraycopy(scratch[k], j0, out, (b + k) * cols + j0, j1 - j0);
      }
    }
  }

  /**
   * Event-driven: the same elements, for each row b in [rowFrom, rowTo) summing only over the
   * entries {@code index[from[b] .. from[b + 1])} (ascending i) of q's row b, the non-zero ones
   * among them. The sums build up in {@code scratch[0]}, which only this caller writes.
   */
  static void multiplyEvents(
      float[] q,
      int rowFrom,
      int rowTo,
      int inner,
      int[] from,
      int[] index,
      float[][] m,
      float[] out,
      int cols,
      int j0,
      int j1,
      float[][] scratch) {
    float[] acc = scratch[0];
    for (int b = rowFrom; b < rowTo; b++) {
      if (VECTOR) {
        VectorRowProduct.events(q, b, inner, from, index, m, acc, j0, j1);
        System.arraycopy(acc, j0, out, b * cols + j0, j1 - j0);
        continue;
      }
      Arrays.fill(acc, j0, j1, 0f);
      for (int k = from[b]; k < from[b + 1]; k++) {
        int i = index[k];
        float s = q[b * inner + i];
        if (s != 0f) {
          float[] r = m[i];
          for (int j = j0; j < j1; j++) {
            acc[j] = Math.fma(s, r[j], acc[j]);
          }
        }
      }
      System.arraycopy(acc, j0, out, b * cols + j0, j1 - j0);
    }
  }
}
