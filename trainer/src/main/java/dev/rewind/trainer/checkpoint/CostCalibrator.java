package dev.rewind.trainer.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.storage.Blob;
import dev.rewind.storage.BlobKey;
import dev.rewind.storage.BlobStore;
import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.SpikeFrame;
import dev.rewind.trainer.bptt.GradientAccumulator;
import dev.rewind.trainer.bptt.LifEngine;
import dev.rewind.trainer.bptt.NetworkState;
import dev.rewind.trainer.bptt.StateAdjoint;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Measures the cost model on the running machine with a short burst on the real network: untaped
 * forward, taped forward and backward steps over the first {@code steps} frames, copies of a state
 * into and out of a memory slot, and writes and reads of a state through the slow store. Each is
 * repeated and the fastest repetition kept (the machine is shared; the minimum is the least
 * disturbed). Results are cached as JSON under a directory, one file per (model, batch, tier), and
 * reused when present.
 */
public final class CostCalibrator {
  private static final int REPEATS = 7;
  private static final int STATE_TRIPS = 4;
  private final Path cacheDir;
  private final int steps;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param cacheDir where calibrations are cached (created when missing), e.g. {@link
   *     #defaultCacheDir()}
   * @param steps steps of the burst, at least 8
   */
  public CostCalibrator(Path cacheDir, int steps) {
    if (steps < 8) {
      throw new IllegalArgumentException("calibration steps: expected >= 8, got " + steps);
    }
    this.cacheDir = cacheDir;
    this.steps = steps;
  }

  /** {@code ~/.cache/rewind/calibration}. */
  public static Path defaultCacheDir() {
    return Path.of(System.getProperty("user.home"), ".cache", "rewind", "calibration");
  }

  /** The cached calibration for this shape and tier, measuring (and caching) it when absent. */
  public Calibration calibrate(
      Parameters parameters, FrameSource frames, BlobStore slow, String tierName)
      throws IOException {
    ModelConfig config = parameters.config();
    Path file = cacheFile(config, frames.batchSize(), tierName);
    if (Files.exists(file)) {
      Calibration cached = json.readValue(file.toFile(), Calibration.class);
      if (cached.version() == Calibration.VERSION) {
        return cached;
      }
    }
    Calibration fresh = measure(parameters, frames, slow, tierName);
    Files.createDirectories(cacheDir);
    // A temporary file of its own, so that calibrations racing in one JVM or several each publish
    // a whole file; the last rename wins.
    Path tmp = Files.createTempFile(cacheDir, file.getFileName() + ".", ".tmp");
    try {
      json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), fresh);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return fresh;
  }

  /** Measures without looking at or writing the cache. */
  public Calibration measure(
      Parameters parameters, FrameSource frames, BlobStore slow, String tierName)
      throws IOException {
    ModelConfig config = parameters.config();
    int batch = frames.batchSize();
    int n = Math.min(steps, frames.steps());
    LifEngine engine = new LifEngine(config, batch);
    engine.loadParameters(parameters);
    NetworkState state = new NetworkState(config, batch);
    StateAdjoint adjoint = new StateAdjoint(config, batch);
    GradientAccumulator gradients = new GradientAccumulator(config);
    ChunkedTape tape = new ChunkedTape(config, batch);
    tape.begin(n);
    double forward = Double.MAX_VALUE;
    double taped = Double.MAX_VALUE;
    double reverse = Double.MAX_VALUE;
    long tapeBytes = 0;
    for (int rep = 0; rep <= REPEATS; rep++) {
      // repetition 0 warms the JIT up and is not counted
      state.reset();
      long t0 = System.nanoTime();
      engine.advance(state, 0, n, frames, null);
      long t1 = System.nanoTime();
      state.reset();
      tape.record(engine, state, 0, n, frames);
      long t2 = System.nanoTime();
      tapeBytes = tape.bytes();
      adjoint.reset(n);
      tape.reverse(engine, 0, n, frames, adjoint, gradients);
      long t3 = System.nanoTime();
      if (rep > 0) {
        forward = Math.min(forward, (t1 - t0) / 1e9 / n);
        taped = Math.min(taped, (t2 - t1) / 1e9 / n);
        reverse = Math.min(reverse, (t3 - t2) / 1e9 / n);
      }
    }
    StateCodec codec = new StateCodec(state);
    state.reset();
    engine.advance(state, 0, n, frames, null);
    NetworkState slot = new NetworkState(config, batch);
    double memoryWrite = Double.MAX_VALUE;
    double memoryRead = Double.MAX_VALUE;
    for (int rep = 0; rep < 4 * STATE_TRIPS; rep++) {
      long t0 = System.nanoTime();
      slot.copyFrom(state);
      long t1 = System.nanoTime();
      state.copyFrom(slot);
      long t2 = System.nanoTime();
      memoryWrite = Math.min(memoryWrite, (t1 - t0) / 1e9);
      memoryRead = Math.min(memoryRead, (t2 - t1) / 1e9);
    }
    double[] slowCost = slowTier(codec, state, slow);
    return new Calibration(
        Calibration.VERSION,
        config.toJson(),
        batch,
        tierName,
        n,
        forward,
        taped,
        reverse,
        codec.heapBytes(),
        Math.max(1, tapeBytes / n),
        memoryWrite,
        memoryRead,
        slowCost[0],
        slowCost[1],
        Instant.now().toString());
  }

  /** Median-free minimum of a few synchronous state writes and reads through the store. */
  private static double[] slowTier(StateCodec codec, NetworkState state, BlobStore slow)
      throws IOException {
    String run = "calibration-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    double write = Double.MAX_VALUE;
    double read = Double.MAX_VALUE;
    for (int i = 0; i < STATE_TRIPS; i++) {
      BlobKey dense = new BlobKey(run, 0, 0, i, SlowStates.DENSE);
      BlobKey spikes = new BlobKey(run, 0, 0, i, SlowStates.SPIKES);
      long t0 = System.nanoTime();
      slow.put(dense, codec.dense(state));
      slow.put(spikes, codec.spikes(state));
      slow.flush();
      long t1 = System.nanoTime();
      Blob d = slow.get(dense);
      Blob s = slow.get(spikes);
      codec.restore("calibration state", (FloatBlock) d, (SpikeFrame) s, state.step(), state);
      long t2 = System.nanoTime();
      slow.delete(dense);
      slow.delete(spikes);
      write = Math.min(write, (t1 - t0) / 1e9);
      read = Math.min(read, (t2 - t1) / 1e9);
    }
    return new double[] {write, read};
  }

  Path cacheFile(ModelConfig config, int batch, String tierName) {
    String key = config.toJson() + "|batch=" + batch + "|tier=" + tierName;
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return cacheDir.resolve("cost-" + HexFormat.of().formatHex(hash, 0, 12) + ".json");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
