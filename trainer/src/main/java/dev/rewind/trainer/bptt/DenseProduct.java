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
  private final float[] matrix;
  private final INDArray matrixNd;
  private final INDArray qNd;
  private final INDArray outNd;
  private final FloatBuffer qBuf;
  private final FloatBuffer outBuf;

  DenseProduct(int batch, int rows, int cols) {
    this.batch = batch;
    this.rows = rows;
    this.cols = cols;
    this.matrix = new float[rows * cols];
    if ((long) rows * cols >= GEMM_MIN_ENTRIES) {
      matrixNd = Nd4j.create(DataType.FLOAT, rows, cols);
      qNd = Nd4j.create(DataType.FLOAT, batch, rows);
      outNd = Nd4j.create(DataType.FLOAT, batch, cols);
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
    System.arraycopy(src, offset, matrix, 0, matrix.length);
    if (matrixNd != null) {
      FloatBuffer m = matrixNd.data().asNioFloat();
      m.position(0);
      m.put(matrix, 0, matrix.length);
    }
  }

  /** True when {@link #multiply} is a native GEMM (large matrices). */
  boolean usesGemm() {
    return matrixNd != null;
  }

  /** The row-major matrix (for event-driven use of its rows). */
  float[] matrix() {
    return matrix;
  }

  /** out[b * cols + j] = sum_i q[b * rows + i] * M[i][j]. */
  void multiply(float[] q, float[] out) {
    if (matrixNd != null) {
      qBuf.position(0);
      qBuf.put(q, 0, batch * rows);
      Nd4j.gemm(qNd, matrixNd, outNd, false, false, 1.0, 0.0);
      outBuf.position(0);
      outBuf.get(out, 0, batch * cols);
      return;
    }
    java.util.Arrays.fill(out, 0, batch * cols, 0f);
    for (int b = 0; b < batch; b++) {
      int qo = b * rows;
      int oo = b * cols;
      for (int i = 0; i < rows; i++) {
        float s = q[qo + i];
        if (s != 0f) {
          int mo = i * cols;
          for (int j = 0; j < cols; j++) {
            out[oo + j] += s * matrix[mo + j];
          }
        }
      }
    }
  }
}
