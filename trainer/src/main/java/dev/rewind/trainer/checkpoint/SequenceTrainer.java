package dev.rewind.trainer.checkpoint;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.tier.BlobBundle;
import dev.rewind.storage.tier.BlobBundleWriter;
import dev.rewind.trainer.bptt.NetworkState;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.data.SpooledFrames;
import dev.rewind.trainer.internal.calibration.Calibration;
import dev.rewind.trainer.internal.calibration.CostCalibrator;
import dev.rewind.trainer.internal.lif.CheckpointExecutor;
import dev.rewind.trainer.internal.runner.CheckpointCopies;
import dev.rewind.trainer.internal.runner.CheckpointReadException;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.schedule.BudgetExceededException;
import dev.rewind.trainer.schedule.CostModel;
import dev.rewind.trainer.schedule.RunMetrics;
import dev.rewind.trainer.schedule.Schedule;
import java.io.IOException;
import java.util.Optional;

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

  /**
   * The backward of one time segment of longer sequences, the unit of work of segment-parallel
   * BPTT: {@code frames} holds the segment's steps (its own time, 0 to {@code frames.steps()}),
   * {@code boundary} says where it sits and what it is handed. The segment runs the schedule the
   * settings plan for its length, from its initial state, and its backward starts from the final
   * adjoint (the loss, for the last segment) and adds to the gradient so far. Chained from the last
   * segment to the first, the gradients equal {@link #gradient(Parameters, FrameSource)} of the
   * whole sequences bit for bit.
   */
  public SegmentResult gradient(Parameters parameters, FrameSource frames, SegmentBoundary boundary)
      throws IOException {
    boundary.checkLength(frames.steps(), false);
    if (settings.inputChunkSteps() == 0) {
      return runSegment(parameters, frames, frames, boundary);
    }
    try (SpooledFrames spooled =
        new SpooledFrames(frames, slow, settings.inputChunkSteps(), settings.inputCachedChunks())) {
      SegmentResult result = runSegment(parameters, spooled, spooled, boundary);
      RunMetrics m =
          result
              .metrics()
              .withInputs(spooled.bytesWritten(), spooled.bytesRead(), spooled.blockedNanos());
      return new SegmentResult(
          result.loss(), result.gradient(), result.initialAdjoint(), m, result.stepLoss());
    }
  }

  private SegmentResult runSegment(
      Parameters parameters, FrameSource frames, FrameSource sample, SegmentBoundary boundary)
      throws IOException {
    CostModel model = costModel(parameters, sample);
    return executor.runSegment(parameters, frames, plan(frames.steps(), model), model, boundary);
  }

  /**
   * Runs the forward sweep of the time segment {@code frames} and pauses it with its checkpoints
   * kept, when that pays: when the schedule the settings plan for it within one {@code sharing}-th
   * of the memory budget (so that {@code sharing} paused segments fit the budget together) is
   * predicted faster than running the full-budget schedule later, plus, for a segment that is not
   * the last, an untaped {@link #advance} now. Otherwise, or when no such schedule fits, empty, and
   * nothing ran. {@code boundary} has the initial state but no final adjoint or gradient yet;
   * {@link PausedSegment#finish} takes those. Until the paused segment is finished or closed, this
   * trainer runs nothing else. The backward reads the inputs from {@code frames} again, so a paused
   * segment's inputs are not spooled to the slow store whatever the settings say. Under a per-step
   * loss head the loss so far comes with {@link
   * PausedSegment#finish(dev.rewind.trainer.bptt.StateAdjoint, float[],
   * dev.rewind.trainer.bptt.StepLossSums)}.
   */
  public Optional<PausedSegment> pause(
      Parameters parameters, FrameSource frames, SegmentBoundary boundary, int sharing)
      throws IOException {
    return pause(parameters, frames, boundary, sharing, null, null);
  }

  /**
   * As {@link #pause(Parameters, FrameSource, SegmentBoundary, int)}, copying the states its
   * forward sweep saves on the slow tier into the bundle {@code copies} under {@code copyName}
   * (both null: no copies), so that another process can run the segment's backward from them
   * ({@link #gradient(Parameters, FrameSource, SegmentBoundary, BlobBundle, CopiedCheckpoints)})
   * when this one is lost; {@link PausedSegment#copies} says which. The caller publishes the
   * bundle.
   */
  public Optional<PausedSegment> pause(
      Parameters parameters,
      FrameSource frames,
      SegmentBoundary boundary,
      int sharing,
      BlobBundleWriter copies,
      CopiedCheckpoints.Name copyName)
      throws IOException {
    if ((copies == null) != (copyName == null)) {
      throw new IllegalArgumentException(
          "pause: expected a bundle and a name for the copies, or neither");
    }
    boundary.checkLength(frames.steps(), true);
    CostModel model = costModel(parameters, frames);
    long steps = frames.steps();
    Schedule kept;
    try {
      kept = PlanCache.plan(settings.schedule(), settings.budget().share(sharing), steps, model);
    } catch (BudgetExceededException tooSmall) {
      return Optional.empty();
    }
    // A segment that is not the last would otherwise advance now, to hand the next its state.
    double advance = boundary.endsSequence(frames.steps()) ? 0 : steps * model.forwardSeconds();
    double recomputed = advance + plan(steps, model).predictedSeconds(model);
    if (kept.predictedSeconds(model) > recomputed) {
      return Optional.empty();
    }
    CheckpointCopies to =
        copies == null
            ? null
            : new CheckpointCopies(
                copies, copyName.run(), copyName.attempt(), copyName.batch(), boundary.firstStep());
    NetworkState end = executor.startSegment(parameters, frames, kept, boundary, to);
    return Optional.of(
        new PausedSegment(
            executor,
            boundary,
            frames.steps(),
            end,
            kept.footprint().bytes(model),
            model,
            to == null ? null : new CopiedCheckpoints(copyName, executor.copiedSteps())));
  }

  /**
   * The backward of the time segment {@code frames} placed by {@code boundary}, as {@link
   * #gradient(Parameters, FrameSource, SegmentBoundary)} gives it, bit for bit, from the copies of
   * its checkpoints in {@code bundle} that a {@link PausedSegment} of the same segment, step and
   * parameters left (possibly in a process that is gone): the segment is cut at their steps and the
   * pieces run from the last to the first, each from its copied state, so the forward sweep up to
   * them is not run again. The metrics are those of the pieces together.
   *
   * @throws CheckpointReadException naming the key when a copy is missing or unreadable
   */
  public SegmentResult gradient(
      Parameters parameters,
      FrameSource frames,
      SegmentBoundary boundary,
      BlobBundle bundle,
      CopiedCheckpoints copies)
      throws IOException {
    return new ResumedSegment(this, executor, bundle, copies)
        .gradient(parameters, frames, boundary);
  }

  /**
   * The state at the end of the time segment {@code frames} placed by {@code boundary}, started
   * from its initial state: the forward wave of segment-parallel BPTT, nothing taped or saved. Its
   * step is the boundary's first step plus the segment's length. The boundary carries no adjoint or
   * gradient: they come when the segment's backward runs.
   */
  public NetworkState advance(Parameters parameters, FrameSource frames, SegmentBoundary boundary) {
    boundary.checkLength(frames.steps(), true);
    return executor.advance(parameters, frames, boundary);
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
