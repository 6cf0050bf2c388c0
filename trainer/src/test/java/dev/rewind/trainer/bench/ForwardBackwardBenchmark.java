package dev.rewind.trainer.bench;

import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.LifEngine;
import dev.rewind.trainer.bptt.NetworkState;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.data.DenseFrames;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.data.StepLabelledFrames;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.LossSpec;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.Surrogate;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times one store-all forward+backward on the reference config (B=16, 128 input channels with
 * Bernoulli(0.05) spikes per channel and step, 2 x 512 LIF with the first recurrent, 10 classes),
 * and the event-driven vs dense-GEMM spike product W s at several densities. Reports wall time and
 * the benchmark thread's CPU time: on a shared machine the latter is the better estimate of the
 * work (it excludes time spent waiting for a core); with OMP_NUM_THREADS=1 the GEMMs run on the
 * calling thread and are included.
 *
 * <p>Data are seeded: inputs from {@code SplittableRandom(1)} (row b, step t, channel j in that
 * nesting order, spike iff nextDouble() < 0.05), labels {@code b % 10}, parameters {@code
 * Parameters.initialise(config, 7, InitScheme.DEFAULT)}.
 *
 * <p>Run: {@code trainer/run-benchmark.sh 1000 4000} (docs/BENCHMARKS.md).
 */
public final class ForwardBackwardBenchmark {
  static final int BATCH = 16;
  static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  static final com.sun.management.OperatingSystemMXBean PROCESS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  static final int INPUT = 128;
  static final double DENSITY = 0.05;

  private ForwardBackwardBenchmark() {}

  /**
   * The reference config; {@code -Dhidden=N} times other layer widths (e.g. the CLI's 128), {@code
   * -Dneuron=alif} makes both hidden layers ALIF ({@code -Dkappa}, default 0.5, and {@code
   * -DadaptationTau}, default 200 steps), {@code -Dloss=last:K|per-step} takes another loss head
   * (per-step: every step labelled, the dearest case), {@code -DtrainTau=true} makes every time
   * constant trainable (MODEL_SPEC v2).
   */
  public static ModelConfig referenceConfig(Surrogate surrogate) {
    int hidden = Integer.getInteger("hidden", 512);
    return new ModelConfig(INPUT, List.of(layer(hidden, true), layer(hidden, false)), 10, surrogate)
        .withLoss(LossSpec.parse(System.getProperty("loss", "mean")))
        .withTrainTau(Boolean.getBoolean("trainTau"));
  }

  /** The reference inputs, labelled at every step ({@code b % 10}) under the per-step head. */
  static FrameSource benchmarkInputs(ModelConfig config, int steps) {
    DenseFrames frames = referenceInputs(steps);
    if (!config.loss().perStep()) {
      return frames;
    }
    int[] labels = new int[BATCH * steps];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = (i / steps) % 10;
    }
    return new StepLabelledFrames(frames, labels);
  }

  private static LayerConfig layer(int size, boolean recurrent) {
    if (!System.getProperty("neuron", "lif").equals("alif")) {
      return new LayerConfig(size, recurrent);
    }
    return LayerConfig.adaptive(
        size,
        recurrent,
        LayerConfig.DEFAULT_BETA,
        Double.parseDouble(System.getProperty("kappa", "0.5")),
        Double.parseDouble(System.getProperty("adaptationTau", "200")));
  }

  public static DenseFrames referenceInputs(int steps) {
    SplittableRandom r = new SplittableRandom(1);
    float[] x = new float[BATCH * steps * INPUT];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextDouble() < DENSITY ? 1f : 0f;
    }
    int[] labels = new int[BATCH];
    for (int b = 0; b < BATCH; b++) {
      labels[b] = b % 10;
    }
    return new DenseFrames(x, BATCH, steps, INPUT, labels);
  }

  public static void main(String[] args) {
    int[] lengths =
        args.length == 0
            ? new int[] {1000, 4000}
            : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    int cores = Runtime.getRuntime().availableProcessors();
    int[] threadCounts =
        Arrays.stream(System.getProperty("threads", "1," + cores).split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    System.out.printf(
        "cores=%d OMP_NUM_THREADS=%s backward-product kernel=%s%n",
        cores,
        System.getenv("OMP_NUM_THREADS"),
        ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            ? "Vector API"
            : "scalar (run with --add-modules jdk.incubator.vector for the Vector API one)");
    for (Surrogate s :
        List.<Surrogate>of(new Surrogate.FastSigmoid(10), new Surrogate.Triangle(0.5))) {
      ModelConfig cfg = referenceConfig(s);
      Parameters p = Parameters.initialise(cfg, 7, InitScheme.DEFAULT);
      for (int steps : lengths) {
        FrameSource frames = benchmarkInputs(cfg, steps);
        printRates(cfg, p, frames);
        double single = 0;
        for (int threads : threadCounts) {
          StoreAllBptt bptt = new StoreAllBptt(cfg, BATCH, 0, threads);
          double wall = time(s, steps, threads, bptt, p, frames);
          single = threads == threadCounts[0] ? wall : single;
          if (threads != threadCounts[0]) {
            System.out.printf(
                "  speed-up of %d threads over %d: %.2fx%n",
                bptt.engine().threads(), threadCounts[0], single / wall);
          }
        }
      }
    }
    spikeProducts();
  }

  /** Prints and returns the median wall time of one forward+backward. */
  private static double time(
      Surrogate s, int steps, int threads, StoreAllBptt bptt, Parameters p, FrameSource frames) {
    int reps = steps >= 4000 ? 3 : 5;
    double[] times = new double[reps];
    double[] cpu = new double[reps];
    double[] fwd = new double[reps];
    BpttResult last = null;
    for (int warm = 0; warm < 2; warm++) {
      last = bptt.run(p, frames);
    }
    for (int i = 0; i < reps; i++) {
      long c0 = PROCESS.getProcessCpuTime();
      long t0 = System.nanoTime();
      last = bptt.run(p, frames);
      times[i] = (System.nanoTime() - t0) / 1e9;
      cpu[i] = (PROCESS.getProcessCpuTime() - c0) / 1e9;
      long f0 = System.nanoTime();
      bptt.evaluate(p, frames);
      fwd[i] = (System.nanoTime() - f0) / 1e9;
    }
    Arrays.sort(times);
    Arrays.sort(cpu);
    Arrays.sort(fwd);
    System.out.printf(
        "surrogate=%s T=%d threads=%d forward+backward: wall median %.3f s (min %.3f, max %.3f),"
            + " process CPU median %.3f s (forward alone %.3f s wall), loss %.5f%n",
        s.getClass().getSimpleName(),
        steps,
        bptt.engine().threads(),
        times[reps / 2],
        times[0],
        times[reps - 1],
        cpu[reps / 2],
        fwd[reps / 2],
        last.loss());
    return times[reps / 2];
  }

  private static void printRates(ModelConfig cfg, Parameters p, FrameSource frames) {
    LifEngine engine = new LifEngine(cfg, BATCH);
    engine.loadParameters(p);
    NetworkState state = new NetworkState(cfg, BATCH);
    long[] spikes = new long[cfg.depth()];
    for (int t = 0; t < frames.steps(); t++) {
      engine.advance(state, t, t + 1, frames, null);
      for (int l = 0; l < cfg.depth(); l++) {
        for (int c : state.spikeCounts(l)) {
          spikes[l] += c;
        }
      }
    }
    StringBuilder sb = new StringBuilder("hidden spike density per layer:");
    for (int l = 0; l < cfg.depth(); l++) {
      sb.append(
          String.format(" %.4f", spikes[l] / (double) frames.steps() / BATCH / cfg.width(l + 1)));
    }
    System.out.println(sb);
  }

  /** W s for B=16 spike vectors over 512 inputs into 512 outputs, 1000 steps, both ways. */
  private static void spikeProducts() {
    int n = 512;
    int steps = 1000;
    SplittableRandom r = new SplittableRandom(3);
    float[][] wT = new float[n][n];
    INDArray w = Nd4j.create(DataType.FLOAT, n, n);
    FloatBuffer wBuf = w.data().asNioFloat();
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        wT[j][i] = (float) r.nextGaussian();
        wBuf.put(j * n + i, wT[j][i]);
      }
    }
    INDArray s = Nd4j.create(DataType.FLOAT, BATCH, n);
    INDArray out = Nd4j.create(DataType.FLOAT, BATCH, n);
    FloatBuffer sBuf = s.data().asNioFloat();
    FloatBuffer outBuf = out.data().asNioFloat();
    float[] mask = new float[BATCH * n];
    float[] cur = new float[BATCH * n];
    float[] acc = new float[n];
    int[] idx = new int[n];
    for (double density : new double[] {0.01, 0.05, 0.20}) {
      double[] event = new double[5];
      double[] dense = new double[5];
      for (int rep = 0; rep < 5; rep++) {
        SplittableRandom sr = new SplittableRandom(11);
        long eventNs = 0;
        long denseNs = 0;
        for (int t = 0; t < steps; t++) {
          for (int i = 0; i < mask.length; i++) {
            mask[i] = sr.nextDouble() < density ? 1f : 0f;
          }
          long t0 = THREADS.getCurrentThreadCpuTime();
          for (int b = 0; b < BATCH; b++) {
            int m = 0;
            for (int j = 0; j < n; j++) {
              if (mask[b * n + j] != 0f) {
                idx[m++] = j;
              }
            }
            Arrays.fill(acc, 0f);
            for (int k = 0; k < m; k++) {
              float[] row = wT[idx[k]];
              for (int i = 0; i < n; i++) {
                acc[i] += row[i];
              }
            }
            System.arraycopy(acc, 0, cur, b * n, n);
          }
          long t1 = THREADS.getCurrentThreadCpuTime();
          sBuf.position(0);
          sBuf.put(mask);
          Nd4j.gemm(s, w, out, false, false, 1.0, 0.0);
          outBuf.position(0);
          outBuf.get(cur);
          long t2 = THREADS.getCurrentThreadCpuTime();
          eventNs += t1 - t0;
          denseNs += t2 - t1;
        }
        event[rep] = eventNs / 1e6;
        dense[rep] = denseNs / 1e6;
      }
      Arrays.sort(event);
      Arrays.sort(dense);
      System.out.printf(
          "spike product B=16 512x512 x %d steps, density %.2f: event-driven %.1f ms,"
              + " dense GEMM %.1f ms (thread CPU), dense/event = %.2f%n",
          steps, density, event[2], dense[2], dense[2] / event[2]);
    }
  }
}
