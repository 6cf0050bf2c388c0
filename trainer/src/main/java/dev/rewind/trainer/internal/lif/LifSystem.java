package dev.rewind.trainer.internal.lif;

import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.SpikeFrame;
import dev.rewind.trainer.bptt.GradientAccumulator;
import dev.rewind.trainer.bptt.LifEngine;
import dev.rewind.trainer.bptt.LossHead;
import dev.rewind.trainer.bptt.LossResult;
import dev.rewind.trainer.bptt.NetworkState;
import dev.rewind.trainer.bptt.StateAdjoint;
import dev.rewind.trainer.bptt.StepLoss;
import dev.rewind.trainer.bptt.StepLossSums;
import dev.rewind.trainer.checkpoint.SegmentBoundary;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.internal.runner.SteppedSystem;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;

/**
 * The LIF network of a {@link ModelConfig} as a {@link SteppedSystem}: the engine's step kernels, a
 * {@link NetworkState}, a {@link ChunkedTape}, the {@link StateAdjoint} and the gradient sums of
 * one batch. The loss is taken at the end of the forward sweep. Buffers are reused across runs;
 * {@link #prepare} points it at the next batch.
 */
public final class LifSystem implements SteppedSystem<NetworkState> {
  private final ModelConfig config;
  private final LifEngine engine;
  private final NetworkState state;
  private final StateAdjoint adjoint;
  private final GradientAccumulator gradients;
  private final ChunkedTape tape;
  private final StateCodec codec;
  private final StepLoss stepLoss;
  private boolean stepLossAtResume;
  private FrameSource frames;
  private SegmentBoundary boundary;
  private LossResult loss;

  public LifSystem(ModelConfig config, int batch, int threads) {
    this(config, batch, 0, threads);
  }

  LifSystem(ModelConfig config, int batch, int truncation, int threads) {
    this.config = config;
    this.engine = new LifEngine(config, batch, truncation, threads);
    this.state = new NetworkState(config, batch);
    this.adjoint = new StateAdjoint(config, batch);
    this.gradients = new GradientAccumulator(config);
    this.tape = new ChunkedTape(config, batch);
    this.codec = new StateCodec(state);
    this.stepLoss = config.loss().perStep() ? new StepLoss(config) : null;
  }

  int batch() {
    return engine.batch();
  }

  /** The next run computes the loss and gradient of {@code frames} under {@code parameters}. */
  public void prepare(Parameters parameters, FrameSource frames) {
    prepare(parameters, frames, SegmentBoundary.whole(frames.steps()));
  }

  /**
   * The next run is the segment {@code frames} of a longer sequence, placed and handed what {@code
   * boundary} says. The system steps in the segment's own time, 0 to {@code frames.steps()}.
   */
  void prepare(Parameters parameters, FrameSource frames, SegmentBoundary boundary) {
    engine.loadParameters(parameters);
    engine.placeFrames(boundary.firstStep(), boundary.totalSteps());
    if (stepLoss != null) {
      if (boundary.stepLoss() != null) {
        stepLoss.resume(frames, boundary.stepLoss());
      } else if (boundary.isWhole(frames.steps())) {
        stepLoss.begin(frames);
      }
    }
    this.frames = frames;
    this.boundary = boundary;
    this.loss = null;
    this.stepLossAtResume = false;
  }

  /**
   * The next run is a segment paused after its forward sweep: under a per-step head its loss so far
   * comes with {@link #resumeBackward}, not with the boundary.
   */
  void expectStepLossAtResume() {
    stepLossAtResume = true;
  }

  /** The state after the segment's steps from its initial state, untaped, into {@code out}. */
  void advanceSegment(NetworkState out) {
    startState();
    engine.advance(state, 0, frames.steps(), frames, null);
    currentState(out);
  }

  /** The adjoint of the segment's initial state, once the backward sweep has reached it. */
  void initialAdjoint(StateAdjoint out) {
    out.copyFrom(adjoint);
    out.setStep(boundary.firstStep());
  }

  /** Drops the references to the last batch's inputs and parameters' results. */
  void release() {
    this.frames = null;
    this.boundary = null;
    this.loss = null;
  }

  /** The per-step head's sums once the backward sweep has reached step 0; null otherwise. */
  StepLossSums stepLossSums() {
    return stepLoss != null && adjoint.step() == 0 ? stepLoss.sums() : null;
  }

  /**
   * The loss of the last run: a sequence head's from its forward sweep, the per-step head's once
   * the backward sweep has reached step 0.
   */
  LossResult loss() {
    return stepLoss != null && adjoint.step() == 0 ? stepLoss.result() : loss;
  }

  float[] gradient() {
    return gradients.toArray();
  }

  @Override
  public int steps() {
    return frames.steps();
  }

  @Override
  public int step() {
    return state.step();
  }

  @Override
  public void begin(int tapeChunkSteps) {
    if (stepLoss != null && !stepLossAtResume) {
      requireStepLoss(boundary);
    }
    tape.begin(tapeChunkSteps);
    startState();
    if (boundary.gradientSoFar() == null) {
      gradients.clear();
    } else {
      gradients.load(boundary.gradientSoFar());
    }
    adjoint.reset(frames.steps());
  }

  /**
   * Throws unless a segment's backward under a per-step head has what it needs: the whole batch's
   * scored targets and the loss so far, unless it is the whole sequence (an untaped advance needs
   * neither).
   */
  private void requireStepLoss(SegmentBoundary b) {
    if (b.stepLoss() == null && !b.isWhole(frames.steps())) {
      throw new IllegalArgumentException(
          "loss "
              + config.loss()
              + ": the segment at step "
              + b.firstStep()
              + " of "
              + b.totalSteps()
              + " needs the whole batch's scored targets and the loss so far"
              + " (SegmentBoundary.stepLoss)");
    }
  }

  private void startState() {
    if (boundary.initialState() == null) {
      state.reset();
    } else {
      state.copyFrom(boundary.initialState());
      state.setStep(0);
    }
  }

  @Override
  public void advance(int from, int to) {
    engine.advance(state, from, to, frames, null);
  }

  @Override
  public void record(int from, int to) {
    tape.record(engine, state, from, to, frames);
  }

  @Override
  public void reverse(int from, int to) {
    tape.reverse(engine, from, to, frames, adjoint, gradients, stepLoss);
  }

  @Override
  public void endForward() {
    if (stepLoss != null) {
      // Each step's seed enters as the backward reaches it: the end state takes only what the
      // segment after it hands back.
      if (boundary.finalAdjoint() != null) {
        seedFinalAdjoint();
      }
      return;
    }
    if (boundary.endsSequence(frames.steps())) {
      loss = LossHead.evaluate(state, frames, boundary.totalSteps(), config.loss());
      LossHead.seed(adjoint, loss, frames.steps(), boundary.totalSteps(), config.loss());
    } else if (boundary.finalAdjoint() != null) {
      seedFinalAdjoint();
    }
  }

  /**
   * Hands a segment paused after its forward sweep the adjoint of its end state (null for the last
   * segment, which the loss seeded), the gradient of the segments after it (null: none) and, under
   * a per-step head, the loss sums the segments after it handed on, before its backward sweep. The
   * forward never touches the gradient, so loading it now adds in the order one uninterrupted run
   * would.
   */
  void resumeBackward(StateAdjoint finalAdjoint, float[] gradientSoFar, StepLossSums sums) {
    SegmentBoundary resumed = boundary.withBackward(finalAdjoint, gradientSoFar);
    if (stepLoss != null && !resumed.isWhole(frames.steps())) {
      resumed = resumed.withStepLoss(sums);
      requireStepLoss(resumed);
      // The forward never touched the step loss: resuming it now sums as one run would.
      stepLoss.resume(frames, sums);
    }
    boundary = resumed;
    if (!boundary.endsSequence(frames.steps())) {
      seedFinalAdjoint();
    }
    if (gradientSoFar != null) {
      gradients.load(gradientSoFar);
    }
  }

  /** The current state, in the sequence's time, into {@code out}: the end state after a forward. */
  void currentState(NetworkState out) {
    out.copyFrom(state);
    out.setStep(boundary.firstStep() + state.step());
  }

  private void seedFinalAdjoint() {
    adjoint.copyFrom(boundary.finalAdjoint());
    adjoint.setStep(frames.steps());
  }

  @Override
  public int adjointStep() {
    return adjoint.step();
  }

  @Override
  public long tapeSteps() {
    return tape.steps();
  }

  @Override
  public long peakTapeSteps() {
    return tape.peakSteps();
  }

  @Override
  public long peakTapeBytes() {
    return tape.peakBytes();
  }

  @Override
  public void clearTape() {
    tape.clear();
  }

  @Override
  public long stateBytes() {
    return codec.heapBytes();
  }

  @Override
  public NetworkState newState() {
    return new NetworkState(config, engine.batch());
  }

  @Override
  public void saveState(NetworkState slot) {
    slot.copyFrom(state);
  }

  @Override
  public void loadState(NetworkState slot, int step) {
    state.copyFrom(slot);
  }

  @Override
  public FloatBlock denseState() {
    return codec.dense(state);
  }

  @Override
  public SpikeFrame spikeState() {
    return codec.spikes(state);
  }

  @Override
  public void restoreState(String what, FloatBlock dense, SpikeFrame spikes, int step) {
    codec.restore(what, dense, spikes, step, state);
  }

  /** As {@link #restoreState}, into {@code into} (of this network's shape) instead. */
  void decodeState(String what, FloatBlock dense, SpikeFrame spikes, int step, NetworkState into) {
    codec.restore(what, dense, spikes, step, into);
  }
}
