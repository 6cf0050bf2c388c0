package dev.rewind.trainer.bptt;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dense kernel of {@link RowProduct} on the Vector API: blocks of 8 rows by 2 vectors of
 * columns held in registers over the whole inner sum, so each matrix row is loaded once per 8 batch
 * rows (measured 3x one ND4J GEMM call per step on B = 16, 512 x 512). Loaded only when the
 * incubator module is present.
 */
final class VectorRowProduct {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorRowProduct() {}

  static void multiply(
      float[] q,
      int rowFrom,
      int rowTo,
      int inner,
      float[][] m,
      float[] out,
      int cols,
      int j0,
      int j1) {
    int blocked = rowFrom + (rowTo - rowFrom) / 8 * 8;
    int j = j0;
    // Columns outer: one stripe of the matrix serves every block of rows while it is in cache.
    for (; j + 2 * L <= j1; j += 2 * L) {
      for (int b = rowFrom; b < blocked; b += 8) {
        block8(q, b, inner, m, out, cols, j);
      }
    }
    for (int b = rowFrom; b < blocked; b++) {
      row(q, b, inner, m, out, cols, j, j1);
    }
    int b = blocked;
    for (; b + 4 <= rowTo; b += 4) {
      int jj = j0;
      for (; jj + 2 * L <= j1; jj += 2 * L) {
        block4(q, b, inner, m, out, cols, jj);
      }
      for (int r = 0; r < 4; r++) {
        row(q, b + r, inner, m, out, cols, jj, j1);
      }
    }
    for (; b < rowTo; b++) {
      row(q, b, inner, m, out, cols, j0, j1);
    }
  }

  /** 4 rows by 2 vectors: the rows left after the blocks of 8. */
  private static void block4(
      float[] q, int b, int inner, float[][] m, float[] out, int cols, int j) {
    FloatVector z = FloatVector.zero(S);
    FloatVector a0 = z, a1 = z, a2 = z, a3 = z;
    FloatVector c0 = z, c1 = z, c2 = z, c3 = z;
    int q0 = b * inner;
    for (int i = 0; i < inner; i++) {
      float[] r = m[i];
      FloatVector r0 = FloatVector.fromArray(S, r, j);
      FloatVector r1 = FloatVector.fromArray(S, r, j + L);
      int qi = q0 + i;
      FloatVector s = FloatVector.broadcast(S, q[qi]);
      a0 = r0.fma(s, a0);
      c0 = r1.fma(s, c0);
      s = FloatVector.broadcast(S, q[qi + inner]);
      a1 = r0.fma(s, a1);
      c1 = r1.fma(s, c1);
      s = FloatVector.broadcast(S, q[qi + 2 * inner]);
      a2 = r0.fma(s, a2);
      c2 = r1.fma(s, c2);
      s = FloatVector.broadcast(S, q[qi + 3 * inner]);
      a3 = r0.fma(s, a3);
      c3 = r1.fma(s, c3);
    }
    int o = b * cols + j;
    a0.intoArray(out, o);
    c0.intoArray(out, o + L);
    a1.intoArray(out, o + cols);
    c1.intoArray(out, o + cols + L);
    a2.intoArray(out, o + 2 * cols);
    c2.intoArray(out, o + 2 * cols + L);
    a3.intoArray(out, o + 3 * cols);
    c3.intoArray(out, o + 3 * cols + L);
  }

  private static void block8(
      float[] q, int b, int inner, float[][] m, float[] out, int cols, int j) {
    FloatVector z = FloatVector.zero(S);
    FloatVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
    FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
    int q0 = b * inner;
    for (int i = 0; i < inner; i++) {
      float[] r = m[i];
      FloatVector r0 = FloatVector.fromArray(S, r, j);
      FloatVector r1 = FloatVector.fromArray(S, r, j + L);
      int qi = q0 + i;
      FloatVector s = FloatVector.broadcast(S, q[qi]);
      a0 = r0.fma(s, a0);
      c0 = r1.fma(s, c0);
      s = FloatVector.broadcast(S, q[qi + inner]);
      a1 = r0.fma(s, a1);
      c1 = r1.fma(s, c1);
      s = FloatVector.broadcast(S, q[qi + 2 * inner]);
      a2 = r0.fma(s, a2);
      c2 = r1.fma(s, c2);
      s = FloatVector.broadcast(S, q[qi + 3 * inner]);
      a3 = r0.fma(s, a3);
      c3 = r1.fma(s, c3);
      s = FloatVector.broadcast(S, q[qi + 4 * inner]);
      a4 = r0.fma(s, a4);
      c4 = r1.fma(s, c4);
      s = FloatVector.broadcast(S, q[qi + 5 * inner]);
      a5 = r0.fma(s, a5);
      c5 = r1.fma(s, c5);
      s = FloatVector.broadcast(S, q[qi + 6 * inner]);
      a6 = r0.fma(s, a6);
      c6 = r1.fma(s, c6);
      s = FloatVector.broadcast(S, q[qi + 7 * inner]);
      a7 = r0.fma(s, a7);
      c7 = r1.fma(s, c7);
    }
    int o = b * cols + j;
    a0.intoArray(out, o);
    c0.intoArray(out, o + L);
    a1.intoArray(out, o + cols);
    c1.intoArray(out, o + cols + L);
    a2.intoArray(out, o + 2 * cols);
    c2.intoArray(out, o + 2 * cols + L);
    a3.intoArray(out, o + 3 * cols);
    c3.intoArray(out, o + 3 * cols + L);
    a4.intoArray(out, o + 4 * cols);
    c4.intoArray(out, o + 4 * cols + L);
    a5.intoArray(out, o + 5 * cols);
    c5.intoArray(out, o + 5 * cols + L);
    a6.intoArray(out, o + 6 * cols);
    c6.intoArray(out, o + 6 * cols + L);
    a7.intoArray(out, o + 7 * cols);
    c7.intoArray(out, o + 7 * cols + L);
  }

  /** Row b of {@link RowProduct#multiplyEvents}, into {@code acc[j0 .. j1)}. */
  static void events(
      float[] q,
      int b,
      int inner,
      int[] from,
      int[] index,
      float[][] m,
      float[] acc,
      int j0,
      int j1) {
    int vEnd = j0 + (j1 - j0) / L * L;
    java.util.Arrays.fill(acc, j0, j1, 0f);
    // Event by event over whole rows of M: sequential reads the prefetcher follows, into a row
    // that stays in L1 (a column-chunked order was as fast on a cached M, 8x slower on one that
    // the tape's traffic had evicted). Four non-zero events share one pass over acc: each element
    // takes the same fused multiply-adds in the same order as one event a pass, so the same bits,
    // with a quarter of acc's loads and stores.
    int qo = b * inner;
    int k = from[b];
    int end = from[b + 1];
    while (k < end) {
      float[] r0 = null;
      float[] r1 = null;
      float[] r2 = null;
      float[] r3 = null;
      float s0 = 0f;
      float s1 = 0f;
      float s2 = 0f;
      float s3 = 0f;
      int found = 0;
      while (k < end && found < 4) {
        int i = index[k++];
        float s = q[qo + i];
        if (s == 0f) {
          continue;
        }
        switch (found++) {
          case 0 -> {
            r0 = m[i];
            s0 = s;
          }
          case 1 -> {
            r1 = m[i];
            s1 = s;
          }
          case 2 -> {
            r2 = m[i];
            s2 = s;
          }
          default -> {
            r3 = m[i];
            s3 = s;
          }
        }
      }
      if (found == 4) {
        four(r0, s0, r1, s1, r2, s2, r3, s3, acc, j0, vEnd, j1);
      } else {
        one(r0, s0, acc, j0, vEnd, j1, found > 0);
        one(r1, s1, acc, j0, vEnd, j1, found > 1);
        one(r2, s2, acc, j0, vEnd, j1, found > 2);
      }
    }
  }

  /** acc[j0, j1) += s_e * r_e[j0, j1) for the four events e in order, in one pass. */
  private static void four(
      float[] r0,
      float s0,
      float[] r1,
      float s1,
      float[] r2,
      float s2,
      float[] r3,
      float s3,
      float[] acc,
      int j0,
      int vEnd,
      int j1) {
    FloatVector v0 = FloatVector.broadcast(S, s0);
    FloatVector v1 = FloatVector.broadcast(S, s1);
    FloatVector v2 = FloatVector.broadcast(S, s2);
    FloatVector v3 = FloatVector.broadcast(S, s3);
    for (int j = j0; j < vEnd; j += L) {
      FloatVector a = FloatVector.fromArray(S, r0, j).fma(v0, FloatVector.fromArray(S, acc, j));
      a = FloatVector.fromArray(S, r1, j).fma(v1, a);
      a = FloatVector.fromArray(S, r2, j).fma(v2, a);
      FloatVector.fromArray(S, r3, j).fma(v3, a).intoArray(acc, j);
    }
    for (int j = vEnd; j < j1; j++) {
      float a = Math.fma(s0, r0[j], acc[j]);
      a = Math.fma(s1, r1[j], a);
      a = Math.fma(s2, r2[j], a);
      acc[j] = Math.fma(s3, r3[j], a);
    }
  }

  /** acc[j0, j1) += s * r[j0, j1), when {@code present}. */
  private static void one(
      float[] r, float s, float[] acc, int j0, int vEnd, int j1, boolean present) {
    if (!present) {
      return;
    }
    FloatVector sv = FloatVector.broadcast(S, s);
    for (int j = j0; j < vEnd; j += L) {
      FloatVector.fromArray(S, r, j).fma(sv, FloatVector.fromArray(S, acc, j)).intoArray(acc, j);
    }
    for (int j = vEnd; j < j1; j++) {
      acc[j] = Math.fma(s, r[j], acc[j]);
    }
  }

  /** One row b, columns [j0, j1): vectors where they fit, then the scalar chain per column. */
  private static void row(
      float[] q, int b, int inner, float[][] m, float[] out, int cols, int j0, int j1) {
    int o = b * cols;
    int qo = b * inner;
    int j = j0;
    for (; j + L <= j1; j += L) {
      FloatVector a = FloatVector.zero(S);
      for (int i = 0; i < inner; i++) {
        a = FloatVector.fromArray(S, m[i], j).fma(FloatVector.broadcast(S, q[qo + i]), a);
      }
      a.intoArray(out, o + j);
    }
    for (; j < j1; j++) {
      float a = 0f;
      for (int i = 0; i < inner; i++) {
        a = Math.fma(q[qo + i], m[i][j], a);
      }
      out[o + j] = a;
    }
  }
}
