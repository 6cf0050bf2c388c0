package dev.rewind.trainer.checkpoint;

import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.Surrogate;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;

/**
 * The benchmarks' reference setting: B=16, 128 input channels spiking with probability 0.05 per
 * step (after a 50-step class cue), 2 x 512 LIF with the first recurrent, 10 classes, fast-sigmoid
 * surrogate (dense tape), parameters {@code initialise(config, 7, DEFAULT)}; inputs generated
 * lazily by {@link LongMemoryStream} with seed 1, so nothing but the method's own memory grows with
 * T.
 */
final class ReferenceRun {
  static final int BATCH = 16;

  private ReferenceRun() {}

  static ModelConfig config() {
    return new ModelConfig(
        128,
        List.of(new LayerConfig(512, true), new LayerConfig(512, false)),
        10,
        new Surrogate.FastSigmoid(Surrogate.FastSigmoid.DEFAULT_GAMMA));
  }

  static Parameters parameters() {
    return Parameters.initialise(config(), 7, InitScheme.DEFAULT);
  }

  static LongMemoryStream frames(int steps) {
    return new LongMemoryStream(BATCH, steps, 128, 10, Math.min(50, steps), 0.05, 1);
  }

  /** Samples the JVM's used heap every 2 ms while running; reports the peak above a baseline. */
  static final class HeapSampler implements AutoCloseable {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final long baseline;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peak;

    HeapSampler() {
      System.gc();
      baseline = memory.getHeapMemoryUsage().getUsed();
      peak = baseline;
      thread =
          new Thread(
              () -> {
                while (running) {
                  peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
                  try {
                    Thread.sleep(2);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "heap-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    /** Peak used heap (live and not yet collected) above the baseline, in bytes. */
    long peakAboveBaseline() {
      return Math.max(0, peak - baseline);
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join();
    }
  }
}
