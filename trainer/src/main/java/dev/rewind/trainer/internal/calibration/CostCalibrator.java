package dev.rewind.trainer.internal.calibration;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.storage.BlobStore;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.data.FrameWindow;
import dev.rewind.trainer.internal.lif.LifSystem;
import dev.rewind.trainer.model.LossSpec;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.schedule.CostModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measures the cost model on the running machine with a short burst on the real network: untaped
 * forward, taped forward and backward steps over the first {@code steps} frames, copies of a state
 * into and out of a memory slot, and writes and reads of a state through the slow store. Each is
 * repeated and the fastest repetition kept (the machine is shared; the minimum is the least
 * disturbed). Results are cached as JSON under a directory, one file per (model, batch, tier,
 * kernel threads), and reused when present.
 */
public final class CostCalibrator {
  private static final int REPEATS = 7;
  private final Path cacheDir;
  private final int steps;
  private final int threads;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * Cache files already read in this JVM, while unchanged on disk: a Spark task plans each step
   * anew, and parsing the file cost it 1-5 ms a step.
   */
  private static final Map<Path, Read> READ = new ConcurrentHashMap<>();

  private record Read(FileTime modified, Calibration calibration) {}

  /**
   * @param cacheDir where calibrations are cached (created when missing), e.g. {@link
   *     #defaultCacheDir()}
   * @param steps steps of the burst, at least 8
   * @param threads the kernels' threads, as in the runs the calibration is for
   */
  public CostCalibrator(Path cacheDir, int steps, int threads) {
    if (steps < 8) {
      throw new IllegalArgumentException("calibration steps: expected >= 8, got " + steps);
    }
    this.cacheDir = cacheDir;
    this.steps = steps;
    this.threads = threads;
  }

  /** {@code ~/.cache/rewind/calibration}. */
  public static Path defaultCacheDir() {
    return Path.of(System.getProperty("user.home"), ".cache", "rewind", "calibration");
  }

  /** The cached calibration for this shape and tier, measuring (and caching) it when absent. */
  public Calibration calibrate(
      Parameters parameters, FrameSource frames, BlobStore slow, String tierName)
      throws IOException {
    ModelConfig config = timed(parameters).config();
    Path file = cacheFile(config, frames.batchSize(), tierName);
    if (Files.exists(file)) {
      FileTime modified = Files.getLastModifiedTime(file);
      Read known = READ.get(file);
      if (known != null && known.modified().equals(modified)) {
        return known.calibration();
      }
      Calibration cached = json.readValue(file.toFile(), Calibration.class);
      if (cached.version() == Calibration.VERSION) {
        READ.put(file, new Read(modified, cached));
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

  /**
   * Measures without looking at or writing the cache: {@link SystemCalibrator} on the network over
   * the first {@code steps} frames.
   */
  public Calibration measure(
      Parameters parameters, FrameSource frames, BlobStore slow, String tierName)
      throws IOException {
    Parameters timed = timed(parameters);
    ModelConfig config = timed.config();
    int n = Math.min(steps, frames.steps());
    LifSystem system = new LifSystem(config, frames.batchSize(), threads);
    system.prepare(timed, new FrameWindow(frames, 0, n));
    CostModel cost = SystemCalibrator.measure(system, slow, REPEATS);
    return new Calibration(
        Calibration.VERSION,
        config.toJson(),
        frames.batchSize(),
        tierName,
        n,
        cost.forwardSeconds(),
        cost.tapedForwardSeconds(),
        cost.reverseSeconds(),
        cost.stateBytes(),
        cost.tapeBytesPerStep(),
        cost.memory().writeSeconds(),
        cost.memory().readSeconds(),
        cost.slow().writeSeconds(),
        cost.slow().readSeconds(),
        Instant.now().toString());
  }

  /**
   * The parameters under the mean loss head: a step costs what it costs whatever the head, and the
   * calibration's first steps may be fewer than a {@code last:K} head's K.
   */
  private static Parameters timed(Parameters parameters) {
    ModelConfig config = parameters.config();
    return config.loss().isMean()
        ? parameters
        : Parameters.wrap(config.withLoss(LossSpec.MEAN), parameters.data());
  }

  Path cacheFile(ModelConfig config, int batch, String tierName) {
    String key = config.toJson() + "|batch=" + batch + "|tier=" + tierName + "|threads=" + threads;
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return cacheDir.resolve("cost-" + HexFormat.of().formatHex(hash, 0, 12) + ".json");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
