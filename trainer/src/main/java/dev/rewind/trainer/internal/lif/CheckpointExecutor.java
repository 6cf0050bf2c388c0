package dev.rewind.trainer.internal.lif;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.SpikeFrame;
import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.NetworkState;
import dev.rewind.trainer.bptt.StateAdjoint;
import dev.rewind.trainer.bptt.StepLossSums;
import dev.rewind.trainer.checkpoint.CheckpointResult;
import dev.rewind.trainer.checkpoint.SegmentBoundary;
import dev.rewind.trainer.checkpoint.SegmentResult;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.internal.runner.CheckpointCopies;
import dev.rewind.trainer.internal.runner.CheckpointReadException;
import dev.rewind.trainer.internal.runner.ExecutorSettings;
import dev.rewind.trainer.internal.runner.ScheduleRunner;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.schedule.CostModel;
import dev.rewind.trainer.schedule.Placement;
import dev.rewind.trainer.schedule.RunMetrics;
import dev.rewind.trainer.schedule.Schedule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Runs a checkpoint {@link Schedule} on a real LIF network: a {@link ScheduleRunner} interprets its
 * actions with the engine's step kernels, keeps {@link Placement#MEMORY} checkpoints as in-heap
 * state copies and {@link Placement#SLOW} ones in a {@link BlobStore} (written behind, read ahead
 * as the look-ahead over the action stream announces loads), and returns the loss and gradient,
 * bit-identical to {@link dev.rewind.trainer.bptt.StoreAllBptt} for every valid schedule, with the
 * run's {@link RunMetrics}.
 *
 * <p>Holds O(live slots + taped steps + look-ahead) on the heap; nothing grows with T except what
 * the schedule itself keeps. Invalid action sequences (loading a state never saved, reversing steps
 * not taped, ...) stop the run with IllegalStateException; a checkpoint the slow tier cannot give
 * back stops it with {@link CheckpointReadException}. Either way everything the run saved is freed.
 * Not thread-safe: one executor per thread. {@link #close()} stops its I/O thread and hands the
 * network's buffers to the next executor of the same shape in this JVM; it does not close the
 * store.
 */
public final class CheckpointExecutor implements AutoCloseable {
  private final ModelConfig config;
  private final int batch;
  private final int truncation;
  private final int threads;
  private final LifSystem system;
  private final ScheduleRunner runner;
  private ScheduleRunner.Pass paused;
  private boolean closed;

  /**
   * @param config the model
   * @param batch sequences per batch
   * @param slowStore where {@link Placement#SLOW} checkpoints go (not closed by the executor)
   * @param settings look-ahead and buffering
   */
  public CheckpointExecutor(
      ModelConfig config, int batch, BlobStore slowStore, ExecutorSettings settings) {
    this(config, batch, slowStore, settings, 0);
  }

  /**
   * As {@link #CheckpointExecutor(ModelConfig, int, BlobStore, ExecutorSettings)}, for truncated
   * BPTT over {@code truncation}-step windows (0: full BPTT).
   */
  public CheckpointExecutor(
      ModelConfig config,
      int batch,
      BlobStore slowStore,
      ExecutorSettings settings,
      int truncation) {
    this.runner = new ScheduleRunner(slowStore, settings);
    this.config = config;
    this.batch = batch;
    this.truncation = truncation;
    this.threads = settings.kernelThreads();
    this.system = IdleSystems.take(config, batch, truncation, threads);
  }

  public ModelConfig config() {
    return config;
  }

  public int batch() {
    return batch;
  }

  /** Heap bytes of one saved state (one memory slot). */
  public long stateBytes() {
    return system.stateBytes();
  }

  /** Runs {@code schedule} without a time prediction. */
  public CheckpointResult run(Parameters parameters, FrameSource frames, Schedule schedule)
      throws IOException {
    return run(parameters, frames, schedule, null);
  }

  /**
   * Loss and gradient of {@code frames} under {@code parameters}, computed by {@code schedule}.
   *
   * @param predictWith the cost model whose prediction is reported beside the measured time, or
   *     null for none
   */
  public CheckpointResult run(
      Parameters parameters, FrameSource frames, Schedule schedule, CostModel predictWith)
      throws IOException {
    checkRun(frames, schedule);
    system.prepare(parameters, frames);
    RunMetrics metrics = runner.run(system, schedule, predictWith);
    return new CheckpointResult(new BpttResult(system.loss(), system.gradient()), metrics);
  }

  /**
   * The backward of the time segment {@code frames} placed by {@code boundary}: its schedule run
   * from the boundary's initial state, its backward sweep started from the boundary's final adjoint
   * (or the loss, for the last segment) and added to the boundary's gradient.
   */
  public SegmentResult runSegment(
      Parameters parameters,
      FrameSource frames,
      Schedule schedule,
      CostModel predictWith,
      SegmentBoundary boundary)
      throws IOException {
    checkRun(frames, schedule);
    checkSegment(boundary, frames);
    system.prepare(parameters, frames, boundary);
    return segmentResult(runner.run(system, schedule, predictWith));
  }

  /**
   * Runs the forward sweep of {@code schedule} on the segment {@code frames} from the boundary's
   * initial state, and pauses, keeping its checkpoints: {@link #finishSegment} runs the backward
   * once the adjoint of the end state is known (the last segment's loss seeds it at once). Until
   * then, or {@link #cancelSegment}, this executor runs nothing else. The states it saves on the
   * slow tier are copied to {@code copies} too (null: nowhere), their steps counted from the
   * segment's first step; {@link #copiedSteps} lists them.
   *
   * @return the state at the segment's end
   */
  public NetworkState startSegment(
      Parameters parameters,
      FrameSource frames,
      Schedule schedule,
      SegmentBoundary boundary,
      CheckpointCopies copies)
      throws IOException {
    checkRun(frames, schedule);
    checkSegment(boundary, frames);
    system.prepare(parameters, frames, boundary);
    system.expectStepLossAtResume();
    paused = runner.start(system, schedule, copies);
    NetworkState end = new NetworkState(config, batch);
    system.currentState(end);
    return end;
  }

  /**
   * The backward of the paused segment from the adjoint of its end state, added to the gradient of
   * the segments after it (null: none), under a per-step head from the loss sums they handed on
   * (null otherwise): the result {@link #runSegment} gives with them, bit for bit.
   */
  public SegmentResult finishSegment(
      StateAdjoint finalAdjoint,
      float[] gradientSoFar,
      StepLossSums stepLoss,
      CostModel predictWith)
      throws IOException {
    if (paused == null) {
      throw new IllegalStateException("checkpoint executor: no paused segment to finish");
    }
    // Refused input leaves the segment paused, to be finished right or cancelled.
    system.resumeBackward(finalAdjoint, gradientSoFar, stepLoss);
    ScheduleRunner.Pass pass = paused;
    paused = null;
    SegmentResult result = segmentResult(pass.finish(predictWith));
    system.release();
    return result;
  }

  /** What a segment's backward, just run, returns: loss, gradient and its initial adjoint. */
  private SegmentResult segmentResult(RunMetrics metrics) {
    StateAdjoint initial = new StateAdjoint(config, batch);
    system.initialAdjoint(initial);
    return new SegmentResult(
        system.loss(), system.gradient(), initial, metrics, system.stepLossSums());
  }

  /**
   * The steps of the paused segment's copied checkpoints, in the sequence's time, increasing.
   *
   * @throws IllegalStateException without a paused segment
   */
  public long[] copiedSteps() {
    if (paused == null) {
      throw new IllegalStateException("checkpoint executor: no paused segment");
    }
    return paused.copiedSteps();
  }

  /**
   * The state {@code dense} and {@code spikes} encode (a slow-tier checkpoint's blobs), as the
   * state at step {@code step} of the sequence; exact. Throws IllegalArgumentException naming
   * {@code what} when they do not have this network's shape.
   */
  public NetworkState decodeState(String what, FloatBlock dense, SpikeFrame spikes, int step) {
    NetworkState state = new NetworkState(config, batch);
    system.decodeState(what, dense, spikes, step, state);
    return state;
  }

  /** Frees what the paused segment holds, its slow-tier checkpoints included; none: nothing. */
  public void cancelSegment() throws IOException {
    if (paused != null) {
      ScheduleRunner.Pass pass = paused;
      paused = null;
      system.release();
      pass.cancel();
    }
  }

  /**
   * The state at the end of the segment {@code frames}, from the initial state of {@code boundary},
   * which also places the loss head's window.
   */
  public NetworkState advance(Parameters parameters, FrameSource frames, SegmentBoundary boundary) {
    checkIdle();
    checkSegment(boundary, frames);
    system.prepare(parameters, frames, boundary);
    NetworkState end = new NetworkState(config, batch);
    system.advanceSegment(end);
    system.release();
    return end;
  }

  private void checkRun(FrameSource frames, Schedule schedule) {
    if (schedule.steps() != frames.steps()) {
      throw new IllegalArgumentException(
          "schedule "
              + schedule.description()
              + ": expected T = "
              + frames.steps()
              + " steps (the frames'), got "
              + schedule.steps());
    }
    checkIdle();
  }

  private void checkIdle() {
    if (closed) {
      throw new IllegalStateException("checkpoint executor is closed");
    }
    if (paused != null) {
      throw new IllegalStateException(
          "checkpoint executor holds a paused segment: finish or cancel it first");
    }
  }

  private void checkSegment(SegmentBoundary boundary, FrameSource frames) {
    if (truncation > 0 && !boundary.isWhole(frames.steps())) {
      throw new IllegalArgumentException(
          "truncated BPTT (truncation="
              + truncation
              + ") runs whole sequences only: a segment needs full BPTT");
    }
  }

  /**
   * Cancels a paused segment, stops the I/O thread and leaves the network's buffers to the next
   * executor of its shape.
   */
  @Override
  public void close() {
    if (!closed) {
      try {
        cancelSegment();
      } catch (IOException e) {
        throw new UncheckedIOException("checkpoint executor: freeing a paused segment", e);
      } finally {
        closed = true;
        runner.close();
        IdleSystems.give(config, batch, truncation, threads, system);
      }
    }
  }
}
