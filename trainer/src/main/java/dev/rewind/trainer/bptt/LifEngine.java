package dev.rewind.trainer.bptt;

import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;

/**
 * The step kernels of a LIF network (MODEL_SPEC.md) for a fixed batch size: the forward {@link
 * #advance} over a segment of steps, optionally recording a {@link Tape}, and the backward {@link
 * #reverse} over a taped segment, which turns the adjoint of the segment's final state into the
 * adjoint of its initial state and adds the segment's parameter gradients to an accumulator. The
 * work of a step is in {@link ForwardKernel} and {@link BackwardKernel}; this class checks the
 * arguments, walks the steps and lends the kernels their threads.
 *
 * <p>Determinism contract: a step is computed by the same code in the same floating-point order
 * whatever segment it belongs to and however many threads share it (they split neuron ranges, never
 * the terms of a sum), and gradients are accumulated in the global order (step descending, batch
 * row ascending). So any split of [0, T) into segments, with states copied or restored between
 * them, and any thread count give bit-identical states, losses and gradients.
 *
 * <p>Costs: products with spike vectors are event-driven over transposed (input-major) copies of
 * the weights, so they cost what the spikes cost. The backward products into the layer below and
 * across time are dense ({@link RowProduct}) for a dense surrogate, and event-driven over the
 * non-zero surrogate entries for a compact-support one when few enough are non-zero. Per-step work
 * allocates nothing. One engine serves one calling thread at a time.
 *
 * <p>Lifecycle: {@link #loadParameters} before the first use and again after every change of the
 * parameter values (the engine works on its own derived copies).
 */
public final class LifEngine {
  /**
   * Neurons per thread below which another thread costs more than it saves: on 2 x 128 neurons at
   * batch 16 (the CLI's default network) 2 threads took 0.95x the time of one, on 2 x 256 1.35x
   * (docs/BENCHMARKS.md, {@code -Dhidden}).
   */
  static final int MIN_NEURONS_PER_THREAD = 128;

  private final ModelConfig config;
  private final LifWeights weights;
  private final int batch;
  private final int depth;
  private final int truncation;
  private final int parts;
  private final ForwardKernel forward;
  private final BackwardKernel backward;
  private int firstStep;
  private int totalSteps = WHOLE;
  private static final int WHOLE = -1;

  /** An engine for full BPTT on every available core. */
  public LifEngine(ModelConfig config, int batch) {
    this(config, batch, 0);
  }

  /** See {@link #LifEngine(ModelConfig, int, int, int)}; runs on every available core. */
  public LifEngine(ModelConfig config, int batch, int truncation) {
    this(config, batch, truncation, Runtime.getRuntime().availableProcessors());
  }

  /**
   * An engine whose backward pass is truncated BPTT when {@code truncation} is K > 0: the adjoint
   * carried across time is cut (loss seed kept, {@link StateAdjoint#cutHistory()}) at every step t
   * > 0 with (T - t) a multiple of K, i.e. at the start of every K-step window counted back from
   * the end. The cut depends only on t and T, so every schedule still gives the store-all gradient
   * bit for bit. 0 is full BPTT. The kernels use up to {@code threads} threads (fewer on narrow
   * layers, at least {@value #MIN_NEURONS_PER_THREAD} neurons each); the results are the same for
   * any number.
   */
  public LifEngine(ModelConfig config, int batch, int truncation, int threads) {
    if (batch <= 0) {
      throw new IllegalArgumentException("batch: expected > 0, got " + batch);
    }
    if (truncation < 0) {
      throw new IllegalArgumentException(
          "truncation: expected 0 (full BPTT) or a window of K > 0 steps, got " + truncation);
    }
    if (threads <= 0) {
      throw new IllegalArgumentException("threads: expected > 0, got " + threads);
    }
    this.config = config;
    this.truncation = truncation;
    this.batch = batch;
    this.depth = config.depth();
    this.weights = new LifWeights(config);
    this.parts = Math.max(1, Math.min(threads, weights.maxWidth / MIN_NEURONS_PER_THREAD));
    this.forward = new ForwardKernel(weights, batch, parts);
    this.backward = new BackwardKernel(weights, batch, parts);
  }

  /**
   * Which kernel computes the backward products in this JVM, for run headers: the Vector API one or
   * the scalar one, which gives the same bits more slowly.
   */
  public static String productKernel() {
    return RowProduct.VECTOR
        ? "Vector API products"
        : "scalar products (java --add-modules jdk.incubator.vector: the faster Vector API ones,"
            + " same results)";
  }

  public ModelConfig config() {
    return config;
  }

  public int batch() {
    return batch;
  }

  /** The threads a step runs on. */
  public int threads() {
    return parts;
  }

  /** Takes (copies, in derived layouts) the parameter values; rejects non-finite ones. */
  public void loadParameters(Parameters parameters) {
    weights.load(parameters);
  }

  /**
   * The next runs are of frames that are steps [{@code firstStep}, firstStep + frames.steps()) of
   * sequences of {@code totalSteps} steps, which places the window of a {@code last:K} loss head.
   */
  public void placeFrames(int firstStep, int totalSteps) {
    if (firstStep < 0 || totalSteps <= firstStep) {
      throw new IllegalArgumentException(
          "frames placement: expected 0 <= firstStep < totalSteps, got firstStep="
              + firstStep
              + ", totalSteps="
              + totalSteps);
    }
    this.firstStep = firstStep;
    this.totalSteps = totalSteps;
  }

  /** The next runs are of frames that hold whole sequences, as before any {@link #placeFrames}. */
  public void placeWhole() {
    this.firstStep = 0;
    this.totalSteps = WHOLE;
  }

  /**
   * The first step of {@code frames}, in their own time, whose readout the loss head sums: 0 or
   * below for the mean head.
   */
  private int windowStart(FrameSource frames) {
    if (config.loss().perStep()) {
      return Integer.MAX_VALUE;
    }
    int total = totalSteps == WHOLE ? frames.steps() : totalSteps;
    return total - config.loss().window(total) - firstStep;
  }

  /**
   * Runs forward steps t1 .. t2-1 from {@code state} (which must be at step t1) and leaves it at
   * t2. With a tape, records the steps: an empty tape is begun at t1, a non-empty one must end at
   * t1 and have room for the steps.
   */
  public void advance(NetworkState state, int t1, int t2, FrameSource frames, Tape tape) {
    advance(state, t1, t2, frames, tape, null);
  }

  /**
   * As {@link #advance(NetworkState, int, int, FrameSource, Tape)}, adding each step's per-step
   * loss to {@code stepLoss} when it is not null: a forward-only evaluation under the per-step
   * head. A run that goes on to its backward takes the loss there instead.
   */
  public void advance(
      NetworkState state, int t1, int t2, FrameSource frames, Tape tape, StepLoss stepLoss) {
    requireLoaded();
    checkFrames(frames);
    checkState(state);
    if (t1 < 0 || t2 < t1 || t2 > frames.steps()) {
      throw new IllegalArgumentException(
          "advance: expected 0 <= t1 <= t2 <= " + frames.steps() + ", got t1=" + t1 + ", t2=" + t2);
    }
    if (state.step() != t1) {
      throw new IllegalArgumentException(
          "advance from t1="
              + t1
              + ": expected the state at step "
              + t1
              + ", got step "
              + state.step());
    }
    if (tape != null) {
      if (tape.batch() != batch) {
        throw new IllegalArgumentException(
            "tape batch: expected " + batch + ", got " + tape.batch());
      }
      if (tape.isEmpty()) {
        tape.begin(state);
      } else if (tape.endStep() != t1) {
        throw new IllegalArgumentException(
            "tape: expected it to end at t1=" + t1 + ", got it ending at " + tape.endStep());
      }
      if (tape.size() + (t2 - t1) > tape.capacity()) {
        throw new IllegalStateException(
            "tape full: "
                + (t2 - t1)
                + " more steps do not fit, capacity "
                + tape.capacity()
                + ", used "
                + tape.size());
      }
    }
    int windowStart = windowStart(frames);
    WorkerTeam team = parts > 1 && t2 > t1 ? WorkerTeam.borrow(parts) : null;
    try {
      for (int t = t1; t < t2; t++) {
        forward.step(state, t, frames, tape == null ? null : tape.append(), t >= windowStart, team);
        if (stepLoss != null) {
          addStepLoss(state, frames, t, stepLoss);
        }
      }
    } finally {
      if (team != null) {
        WorkerTeam.giveBack(team);
      }
    }
    state.setStep(t2);
  }

  private void addStepLoss(NetworkState state, FrameSource frames, int t, StepLoss stepLoss) {
    int classes = config.classes();
    for (int b = 0; b < batch; b++) {
      stepLoss.add(state.readout(), b * classes, frames, b, t, null);
    }
  }

  /** As the other {@code reverse}, for a sequence head (mean or last:K). */
  public void reverse(
      Tape tape,
      int t2,
      int t1,
      FrameSource frames,
      StateAdjoint adjoint,
      GradientAccumulator gradients) {
    reverse(tape, t2, t1, frames, adjoint, gradients, null);
  }

  /**
   * Backward over steps t2-1 down to t1, which {@code tape} must hold. {@code adjoint} must be at
   * step t2 (for the last segment: {@link LossHead#seed}); it is left at t1, holding the adjoint of
   * the state at t1. The segment's parameter gradients are added to {@code gradients}. Under the
   * per-step head, each step's loss seed comes from {@code stepLoss} (begun on the whole batch),
   * which also sums the loss; for the other heads it is null.
   */
  public void reverse(
      Tape tape,
      int t2,
      int t1,
      FrameSource frames,
      StateAdjoint adjoint,
      GradientAccumulator gradients,
      StepLoss stepLoss) {
    requireLoaded();
    if (config.loss().perStep() != (stepLoss != null)) {
      throw new IllegalArgumentException(
          "reverse under loss "
              + config.loss()
              + ": expected a step loss exactly for per-step and regression");
    }
    checkFrames(frames);
    if (tape.isEmpty() || t1 < tape.firstStep() || t2 > tape.endStep() || t1 > t2) {
      throw new IllegalArgumentException(
          "reverse: expected tape.firstStep() <= t1 <= t2 <= tape.endStep(), got t1="
              + t1
              + ", t2="
              + t2
              + ", tape ["
              + tape.firstStep()
              + ", "
              + tape.endStep()
              + ")");
    }
    if (adjoint.step() != t2) {
      throw new IllegalArgumentException(
          "reverse from t2="
              + t2
              + ": expected the adjoint at step "
              + t2
              + ", got step "
              + adjoint.step());
    }
    if (adjoint.batch() != batch || adjoint.depth() != depth) {
      throw new IllegalArgumentException(
          "adjoint shape: expected batch "
              + batch
              + " and depth "
              + depth
              + ", got "
              + adjoint.batch()
              + " and "
              + adjoint.depth());
    }
    if (!gradients.layout().config().equals(config)) {
      throw new IllegalArgumentException("gradient accumulator: built for a different config");
    }
    int windowStart = windowStart(frames);
    WorkerTeam team = parts > 1 && t2 > t1 ? WorkerTeam.borrow(parts) : null;
    try {
      backward.reverse(
          tape, t2, t1, frames, adjoint, gradients, truncation, windowStart, stepLoss, team);
    } finally {
      if (team != null) {
        WorkerTeam.giveBack(team);
      }
    }
    adjoint.setStep(t1);
  }

  private void requireLoaded() {
    if (!weights.loaded()) {
      throw new IllegalStateException("engine: loadParameters must be called before use");
    }
  }

  private void checkFrames(FrameSource frames) {
    if (frames.batchSize() != batch) {
      throw new IllegalArgumentException(
          "frames batch: expected " + batch + " sequences, got " + frames.batchSize());
    }
    if (frames.channels() != config.inputSize()) {
      throw new IllegalArgumentException(
          "frames channels: expected inputSize "
              + config.inputSize()
              + ", got "
              + frames.channels());
    }
  }

  private void checkState(NetworkState state) {
    if (state.batch() != batch || state.depth() != depth || state.classes() != config.classes()) {
      throw new IllegalArgumentException(
          "state shape: expected batch "
              + batch
              + ", depth "
              + depth
              + ", classes "
              + config.classes()
              + "; got "
              + state.batch()
              + ", "
              + state.depth()
              + ", "
              + state.classes());
    }
    for (int l = 0; l < depth; l++) {
      if (state.width(l) != weights.width[l]) {
        throw new IllegalArgumentException(
            "state layer "
                + l
                + " width: expected "
                + weights.width[l]
                + ", got "
                + state.width(l));
      }
    }
  }
}
