package dev.rewind.trainer.bptt;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backward product q M of the reference config (B = 16 rows, 512 x 512), 1000 times, every way
 * Rewind can compute it and the way it did before: one ND4J GEMM per step (OpenBLAS, {@code
 * OMP_NUM_THREADS=1}), the Vector API kernel per step and over a 16-step chunk (256 rows at once),
 * the scalar kernel, and the event-driven kernel at several densities of q. Medians of 5 in
 * milliseconds, printed with their ratios to the ND4J call; all but ND4J give the same bits.
 *
 * <p>Run: {@code MAIN=dev.rewind.trainer.bptt.ProductBenchmark trainer/run-benchmark.sh}.
 */
public final class ProductBenchmark {
  private static final int B = 16;
  private static final int N = 512;
  private static final int CALLS = 1000;

  private ProductBenchmark() {}

  public static void main(String[] args) {
    SplittableRandom r = new SplittableRandom(3);
    float[][] m = new float[N][N];
    INDArray mNd = Nd4j.create(DataType.FLOAT, new long[] {N, N}, 'f');
    FloatBuffer mBuf = mNd.data().asNioFloat();
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++) {
        m[i][j] = (float) r.nextGaussian();
        mBuf.put(i * N + j, m[i][j]);
      }
    }
    float[] q = gaussian(r, 16 * B * N);
    float[] out = new float[16 * B * N];
    float[][] scratch = new float[4][N];
    INDArray qNd = Nd4j.create(DataType.FLOAT, new long[] {N, B}, 'f');
    INDArray outNd = Nd4j.create(DataType.FLOAT, new long[] {N, B}, 'f');
    FloatBuffer qBuf = qNd.data().asNioFloat();
    FloatBuffer outBuf = outNd.data().asNioFloat();
    System.out.printf(
        "q M, B=%d, %dx%d, %d calls; Vector API kernel %s%n",
        B, N, N, CALLS, RowProduct.VECTOR ? "on" : "off (run with --add-modules)");
    double nd4j =
        time(
            () -> {
              qBuf.position(0);
              qBuf.put(q, 0, B * N);
              Nd4j.gemm(mNd, qNd, outNd, false, false, 1.0, 0.0);
              outBuf.position(0);
              outBuf.get(out, 0, B * N);
            });
    report("ND4J GEMM per step (before)", nd4j, nd4j);
    report(
        "dense kernel per step",
        time(() -> RowProduct.multiply(q, 0, B, N, m, out, N, 0, N, scratch)),
        nd4j);
    report(
        "dense kernel, 16 steps at once (per step)",
        time(() -> RowProduct.multiply(q, 0, 16 * B, N, m, out, N, 0, N, scratch)) / 16,
        nd4j);
    report(
        "scalar kernel per step",
        time(() -> RowProduct.multiplyScalar(q, 0, B, N, m, out, N, 0, N, scratch)),
        nd4j);
    for (double density : new double[] {0.05, 0.1, 0.2, 0.3}) {
      int[] from = new int[B + 1];
      int[] index = new int[B * N];
      float[] sparse = new float[B * N];
      int used = 0;
      for (int b = 0; b < B; b++) {
        from[b] = used;
        for (int i = 0; i < N; i++) {
          if (r.nextDouble() < density) {
            sparse[b * N + i] = (float) r.nextGaussian();
            index[used++] = i;
          }
        }
      }
      from[B] = used;
      report(
          String.format("event-driven kernel, q %.0f%% non-zero", 100 * density),
          time(
              () ->
                  RowProduct.multiplyEvents(
                      sparse, 0, B, N, from, index, m, out, N, 0, N, scratch)),
          nd4j);
    }
  }

  private static float[] gaussian(SplittableRandom r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  private static double time(Runnable call) {
    double[] ms = new double[5];
    for (int warm = 0; warm < 2; warm++) {
      for (int k = 0; k < CALLS; k++) {
        call.run();
      }
    }
    for (int rep = 0; rep < ms.length; rep++) {
      long t0 = System.nanoTime();
      for (int k = 0; k < CALLS; k++) {
        call.run();
      }
      ms[rep] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms[ms.length / 2];
  }

  private static void report(String what, double ms, double nd4j) {
    System.out.printf("  %-46s %7.1f ms  (ND4J / this = %.2fx)%n", what, ms, nd4j / ms);
  }
}
