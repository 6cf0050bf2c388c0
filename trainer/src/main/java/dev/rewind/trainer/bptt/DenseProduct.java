package dev.rewind.trainer.bptt;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code out = q M} for a batch of row vectors q (B x rows) and a fixed matrix M (rows x cols,
 * row-major): the dense backward products W^T delta and R^T delta. Large matrices go through one
 * ND4J GEMM per call on preallocated arrays; small ones through a plain loop, where a native call
 * would cost more than the arithmetic. Every call has the same shape, so a row's result does not
 * depend on which other rows or steps are computed alongside it: batching steps into one GEMM would
 * break that (OpenBLAS rounds a row differently depending on its position in the block).
 */
final class DenseProduct {
  /** Below this many matrix entries a native call costs more than the loop it replaces. */
  static final int GEMM_MIN_ENTRIES = 128 * 128;

  private final int batch;
  private final int rows;
  private final int cols;
  private final float[][] matrixRows;
  private final float[] acc;
  private final INDArray matrixNd;
  private final INDArray qNd;
  private final INDArray outNd;
  private final FloatBuffer qBuf;
  private final FloatBuffer outBuf;

  DenseProduct(int batch, int rows, int cols) {
    this.batch = batch;
    this.rows = rows;
    this.cols = cols;
    this.matrixRows = new float[rows][cols];
    this.acc = new float[cols];
    if ((long) rows * cols >= GEMM_MIN_ENTRIES) {
      // Column-major views of the row-major data: out^T = M^T q^T with every buffer used as is.
      // Measured 1.5x faster than the row-major call, which ND4J serves through extra copies.
      matrixNd = Nd4j.create(DataType.FLOAT, new long[] {cols, rows}, 'f');
      qNd = Nd4j.create(DataType.FLOAT, new long[] {rows, batch}, 'f');
      outNd = Nd4j.create(DataType.FLOAT, new long[] {cols, batch}, 'f');
      qBuf = qNd.data().asNioFloat();
      outBuf = outNd.data().asNioFloat();
    } else {
      matrixNd = null;
      qNd = null;
      outNd = null;
      qBuf = null;
      outBuf = null;
    }
  }

  /** Loads M from {@code src[offset ..]} (row-major rows x cols). */
  void load(float[] src, int offset) {
    for (int i = 0; i < rows; i++) {
      System.arraycopy(src, offset + i * cols, matrixRows[i], 0, cols);
    }
    if (matrixNd != null) {
      FloatBuffer m = matrixNd.data().asNioFloat();
      m.position(0);
      m.put(src, offset, rows * cols);
    }
  }

  /** True when {@link #multiply} is a native GEMM (large matrices). */
  boolean usesGemm() {
    return matrixNd != null;
  }

  /**
   * The matrix as one array per row, for event-driven use: loops over a whole array vectorise,
   * loops over a slice at a variable offset do not (C2, JDK 17; measured 5x).
   */
  float[][] rows() {
    return matrixRows;
  }

  /** out[b * cols + j] = sum_i q[b * rows + i] * M[i][j]. */
  void multiply(float[] q, float[] out) {
    if (matrixNd != null) {
      qBuf.position(0);
      qBuf.put(q, 0, batch * rows);
      Nd4j.gemm(matrixNd, qNd, outNd, false, false, 1.0, 0.0);
      outBuf.position(0);
      outBuf.get(out, 0, batch * cols);
      return;
    }
    int n = rows;
    for (int b = 0; b < batch; b++) {
      java.util.Arrays.fill(acc, 0f);
      int qo = b * n;
      for (int i = 0; i < n; i++) {
        float s = q[qo + i];
        if (s != 0f) {
          float[] row = matrixRows[i];
          for (int j = 0; j < cols; j++) {
            acc[j] += s * row[j];
          }
        }
      }
      System.arraycopy(acc, 0, out, b * cols, cols);
    }
  }
}
