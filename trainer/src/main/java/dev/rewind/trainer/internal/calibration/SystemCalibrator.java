package dev.rewind.trainer.internal.calibration;

import dev.rewind.storage.Blob;
import dev.rewind.storage.BlobKey;
import dev.rewind.storage.BlobStore;
import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.SpikeFrame;
import dev.rewind.trainer.internal.runner.SlowStates;
import dev.rewind.trainer.internal.runner.SteppedSystem;
import dev.rewind.trainer.schedule.CostModel;
import dev.rewind.trainer.schedule.TierCost;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Measures a {@link CostModel} on any {@link SteppedSystem}, on this machine: the per-step time of
 * a forward step with and without tape and of a backward step over all of the system's steps (the
 * fastest of a few repetitions after a warm-up), the tape bytes per step, and the time to save and
 * restore one state in memory and through the slow store. The system must be able to reverse (its
 * output gradients given); it is left in an unspecified state.
 */
public final class SystemCalibrator {
  private static final int REPEATS = 3;
  private static final int STATE_TRIPS = 4;

  private SystemCalibrator() {}

  /** The cost model of {@code system} with {@code slow} as its slow tier. */
  public static <S> CostModel measure(SteppedSystem<S> system, BlobStore slow) throws IOException {
    return measure(system, slow, REPEATS);
  }

  /**
   * As {@link #measure(SteppedSystem, BlobStore)}, keeping the fastest of {@code repeats} timed
   * sweeps (after one untimed warm-up).
   */
  static <S> CostModel measure(SteppedSystem<S> system, BlobStore slow, int repeats)
      throws IOException {
    int n = system.steps();
    double forward = Double.MAX_VALUE;
    double taped = Double.MAX_VALUE;
    double reverse = Double.MAX_VALUE;
    long tapeBytes = 0;
    for (int rep = 0; rep <= repeats; rep++) {
      // repetition 0 warms the JIT up and is not counted
      system.begin(n);
      long t0 = System.nanoTime();
      system.advance(0, n);
      long t1 = System.nanoTime();
      system.begin(n);
      system.record(0, n);
      long t2 = System.nanoTime();
      system.endForward();
      tapeBytes = system.peakTapeBytes();
      system.reverse(0, n);
      long t3 = System.nanoTime();
      if (rep > 0) {
        forward = Math.min(forward, (t1 - t0) / 1e9 / n);
        taped = Math.min(taped, (t2 - t1) / 1e9 / n);
        reverse = Math.min(reverse, (t3 - t2) / 1e9 / n);
      }
    }
    S slot = system.newState();
    double memoryWrite = Double.MAX_VALUE;
    double memoryRead = Double.MAX_VALUE;
    for (int rep = 0; rep < 4 * STATE_TRIPS; rep++) {
      long t0 = System.nanoTime();
      system.saveState(slot);
      long t1 = System.nanoTime();
      system.loadState(slot, system.step());
      long t2 = System.nanoTime();
      memoryWrite = Math.min(memoryWrite, (t1 - t0) / 1e9);
      memoryRead = Math.min(memoryRead, (t2 - t1) / 1e9);
    }
    String run = "calibration-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    double slowWrite = Double.MAX_VALUE;
    double slowRead = Double.MAX_VALUE;
    for (int i = 0; i < STATE_TRIPS; i++) {
      BlobKey dense = new BlobKey(run, 0, 0, i, SlowStates.DENSE);
      BlobKey spikes = new BlobKey(run, 0, 0, i, SlowStates.SPIKES);
      long t0 = System.nanoTime();
      slow.put(dense, system.denseState());
      slow.put(spikes, system.spikeState());
      slow.flush();
      long t1 = System.nanoTime();
      Blob d = slow.get(dense);
      Blob s = slow.get(spikes);
      system.restoreState("calibration state", (FloatBlock) d, (SpikeFrame) s, system.step());
      long t2 = System.nanoTime();
      slow.delete(dense);
      slow.delete(spikes);
      slowWrite = Math.min(slowWrite, (t1 - t0) / 1e9);
      slowRead = Math.min(slowRead, (t2 - t1) / 1e9);
    }
    return new CostModel(
        forward,
        taped,
        reverse,
        system.stateBytes(),
        Math.max(1, tapeBytes / n),
        new TierCost(memoryWrite, memoryRead),
        new TierCost(slowWrite, slowRead));
  }
}
