package dev.rewind.trainer.bptt;

import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;

/**
 * Plain BPTT that keeps the whole tape in memory: forward over all T steps with a tape, loss,
 * backward over all T steps. The reference every memory-saving schedule must match bit for bit.
 * Reuses its engine, state and tape across calls (the tape grows to the longest T seen).
 */
public final class StoreAllBptt {
  private final ModelConfig config;
  private final LifEngine engine;
  private final NetworkState state;
  private final StateAdjoint adjoint;
  private final GradientAccumulator gradients;
  private final StepLoss stepLoss;
  private Tape tape;

  public StoreAllBptt(ModelConfig config, int batch) {
    this(config, batch, 0);
  }

  /**
   * Truncated BPTT over {@code truncation}-step windows; 0 is full BPTT (see {@link LifEngine}).
   */
  public StoreAllBptt(ModelConfig config, int batch, int truncation) {
    this(config, batch, truncation, Runtime.getRuntime().availableProcessors());
  }

  /** On up to {@code threads} threads, with the same results for any number. */
  public StoreAllBptt(ModelConfig config, int batch, int truncation, int threads) {
    this.config = config;
    this.engine = new LifEngine(config, batch, truncation, threads);
    this.state = new NetworkState(config, batch);
    this.adjoint = new StateAdjoint(config, batch);
    this.gradients = new GradientAccumulator(config);
    this.stepLoss = config.loss().perStep() ? new StepLoss(config) : null;
  }

  public LifEngine engine() {
    return engine;
  }

  /** Loss, logits, accuracy and gradient of {@code frames} under {@code parameters}. */
  public BpttResult run(Parameters parameters, FrameSource frames) {
    checkLabels(frames);
    engine.loadParameters(parameters);
    int steps = frames.steps();
    if (tape == null || tape.capacity() < steps) {
      tape = new Tape(config, engine.batch(), steps);
    }
    tape.clear();
    engine.placeWhole();
    state.reset();
    engine.advance(state, 0, steps, frames, tape);
    gradients.clear();
    if (stepLoss != null) {
      adjoint.reset(steps);
      engine.reverse(tape, steps, 0, frames, adjoint, gradients, stepLoss);
      return new BpttResult(stepLoss.result(), gradients.toArray());
    }
    LossResult result = LossHead.evaluate(state, frames, config.loss());
    LossHead.seed(adjoint, result, steps, config.loss());
    engine.reverse(tape, steps, 0, frames, adjoint, gradients);
    return new BpttResult(result, gradients.toArray());
  }

  /** Forward only, no tape: the loss and predictions. */
  public LossResult evaluate(Parameters parameters, FrameSource frames) {
    checkLabels(frames);
    engine.loadParameters(parameters);
    engine.placeWhole();
    state.reset();
    engine.advance(state, 0, frames.steps(), frames, null, stepLoss);
    return stepLoss != null ? stepLoss.result() : LossHead.evaluate(state, frames, config.loss());
  }

  /** The per-step labels or targets (and counts them) under a per-step head, else the labels. */
  private void checkLabels(FrameSource frames) {
    if (stepLoss != null) {
      stepLoss.begin(frames);
    } else {
      LossHead.checkLabels(frames, config.classes());
    }
  }
}
