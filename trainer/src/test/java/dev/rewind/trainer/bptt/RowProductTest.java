package dev.rewind.trainer.bptt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The three ways of computing q M (Vector API, scalar, event-driven over the non-zero entries) and
 * any column range of them give the same bits, on shapes that leave tails of rows and columns.
 */
class RowProductTest {

  @Test
  void theTestsRunWithTheVectorKernel() {
    assertTrue(RowProduct.VECTOR, "the tests' JVM must have --add-modules jdk.incubator.vector");
  }

  @Test
  void vectorScalarAndEventDrivenProductsAreBitIdentical() {
    SplittableRandom r = new SplittableRandom(Long.getLong("rewind.seed", 5L));
    for (int k = 0; k < 40; k++) {
      int batch = 1 + r.nextInt(20);
      int inner = 1 + r.nextInt(90);
      int cols = 1 + r.nextInt(140);
      float[][] m = new float[inner][cols];
      for (float[] row : m) {
        for (int j = 0; j < cols; j++) {
          row[j] = (float) r.nextGaussian();
        }
      }
      float[] q = new float[batch * inner];
      int[] from = new int[batch + 1];
      int[] index = new int[batch * inner];
      int used = 0;
      for (int b = 0; b < batch; b++) {
        from[b] = used;
        for (int i = 0; i < inner; i++) {
          if (r.nextInt(3) == 0) {
            q[b * inner + i] = (float) r.nextGaussian();
            index[used++] = i;
          }
        }
      }
      from[batch] = used;
      float[] scalar = new float[batch * cols];
      RowProduct.multiplyScalar(q, 0, batch, inner, m, scalar, cols, 0, cols, new float[4][cols]);
      float[] vector = new float[batch * cols];
      VectorRowProduct.multiply(q, 0, batch, inner, m, vector, cols, 0, cols);
      assertArrayEquals(scalar, vector, "vector kernel, case " + k);
      float[] events = new float[batch * cols];
      RowProduct.multiplyEvents(
          q, 0, batch, inner, from, index, m, events, cols, 0, cols, new float[4][cols]);
      assertArrayEquals(scalar, events, "event-driven, case " + k);
      float[] pieces = new float[batch * cols];
      int cut = r.nextInt(cols + 1);
      VectorRowProduct.multiply(q, 0, batch, inner, m, pieces, cols, 0, cut);
      VectorRowProduct.multiply(q, 0, batch, inner, m, pieces, cols, cut, cols);
      assertArrayEquals(scalar, pieces, "two column ranges split at " + cut + ", case " + k);
      float[] rows = new float[batch * cols];
      int split = r.nextInt(batch + 1);
      VectorRowProduct.multiply(q, 0, split, inner, m, rows, cols, 0, cols);
      VectorRowProduct.multiply(q, split, batch, inner, m, rows, cols, 0, cols);
      assertArrayEquals(scalar, rows, "two row ranges split at " + split + ", case " + k);
    }
  }
}
