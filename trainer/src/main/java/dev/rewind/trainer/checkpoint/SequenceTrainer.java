package dev.rewind.trainer.checkpoint;

import dev.rewind.storage.BlobStore;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.data.SpooledFrames;
import dev.rewind.trainer.internal.calibration.Calibration;
import dev.rewind.trainer.internal.calibration.CostCalibrator;
import dev.rewind.trainer.internal.lif.CheckpointExecutor;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.schedule.CostModel;
import dev.rewind.trainer.schedule.RunMetrics;
import dev.rewind.trainer.schedule.Schedule;
import java.io.IOException;

/**
 * The gradient of a batch of long sequences, exact, within a memory budget: the entry point the CLI
 * and the Spark connector call. Plans the schedule the settings name for the batch's length (with a
 * cost model calibrated on this machine at the first call, or given), streams the input frames
 * through the slow store when configured, and runs the plan with a {@link CheckpointExecutor}. Loss
 * and gradient are bit-identical to store-all BPTT whatever the schedule.
 *
 * <p>Not thread-safe; reuses its buffers across calls. {@link #close()} stops its I/O threads; the
 * store belongs to the caller.
 */
public final class SequenceTrainer implements AutoCloseable {
  private final TrainerSettings settings;
  private final BlobStore slow;
  private final CheckpointExecutor executor;
  private CostModel cost;
  private Calibration calibration;

  /** A trainer that calibrates its cost model at the first call (or reuses a cached one). */
  public SequenceTrainer(ModelConfig config, int batch, BlobStore slow, TrainerSettings settings) {
    this.settings = settings;
    this.slow = slow;
    this.executor =
        new CheckpointExecutor(config, batch, slow, settings.executor(), settings.truncation());
  }

  /** A trainer planning with a given cost model (no calibration). */
  public SequenceTrainer(
      ModelConfig config, int batch, BlobStore slow, TrainerSettings settings, CostModel cost) {
    this(config, batch, slow, settings);
    if (cost == null) {
      throw new IllegalArgumentException("expected a cost model, got null");
    }
    this.cost = cost;
  }

  /** Loss, logits, accuracy and gradient of {@code frames}, with what computing them cost. */
  public CheckpointResult gradient(Parameters parameters, FrameSource frames) throws IOException {
    if (settings.inputChunkSteps() == 0) {
      return run(parameters, frames, frames);
    }
    try (SpooledFrames spooled =
        new SpooledFrames(frames, slow, settings.inputChunkSteps(), settings.inputCachedChunks())) {
      CheckpointResult result = run(parameters, spooled, spooled);
      RunMetrics m =
          result
              .metrics()
              .withInputs(spooled.bytesWritten(), spooled.bytesRead(), spooled.blockedNanos());
      return new CheckpointResult(result.bptt(), m);
    }
  }

  private CheckpointResult run(Parameters parameters, FrameSource frames, FrameSource sample)
      throws IOException {
    CostModel model = costModel(parameters, sample);
    return executor.run(parameters, frames, plan(frames.steps(), model), model);
  }

  /** The cost model, calibrated on {@code parameters} and the first steps of {@code frames}. */
  public CostModel costModel(Parameters parameters, FrameSource frames) throws IOException {
    if (cost == null) {
      CostCalibrator calibrator =
          new CostCalibrator(
              settings.calibrationCache(),
              settings.calibrationSteps(),
              settings.executor().kernelThreads());
      calibration = calibrator.calibrate(parameters, frames, slow, settings.slowTierName());
      cost = calibration.toCostModel();
    }
    return cost;
  }

  /** The calibration in use, or null when the cost model was given or is not measured yet. */
  public Calibration calibration() {
    return calibration;
  }

  /**
   * The schedule for sequences of {@code steps} steps, planned once per (length, cost model) in
   * this JVM ({@link PlanCache}).
   */
  public Schedule plan(long steps, CostModel model) {
    return PlanCache.plan(settings.schedule(), settings.budget(), steps, model);
  }

  @Override
  public void close() {
    executor.close();
  }
}
