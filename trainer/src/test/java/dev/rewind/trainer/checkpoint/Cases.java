package dev.rewind.trainer.checkpoint;

import dev.rewind.trainer.bptt.RandomCase;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.LossSpec;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.Surrogate;
import dev.rewind.trainer.schedule.CostModel;
import dev.rewind.trainer.schedule.TierCost;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A random network, parameters and batch, fully determined by a seed (printed by the tests). */
public record Cases(long seed, ModelConfig config, Parameters parameters, FrameSource frames) {

  /** 1 to 3 layers of up to 40 neurons, recurrent or not, either surrogate, dense or events. */
  public static Cases draw(long seed, int minSteps, int maxSteps) {
    return draw(seed, minSteps, maxSteps, false);
  }

  /**
   * As {@link #draw(long, int, int)}, with each layer an ALIF layer (MODEL_SPEC v2) one time in two
   * when {@code adaptive}, chosen from a stream of its own.
   */
  public static Cases draw(long seed, int minSteps, int maxSteps, boolean adaptive) {
    SplittableRandom r = new SplittableRandom(seed);
    SplittableRandom alif = new SplittableRandom(~seed);
    int depth = 1 + r.nextInt(3);
    List<LayerConfig> layers = new ArrayList<>();
    for (int l = 0; l < depth; l++) {
      int size = 4 + r.nextInt(37);
      boolean recurrent = r.nextBoolean();
      double beta = 0.8 + 0.19 * r.nextDouble();
      layers.add(
          adaptive && alif.nextBoolean()
              ? LayerConfig.adaptive(
                  size, recurrent, beta, 0.2 + 2 * alif.nextDouble(), 5 + 200 * alif.nextDouble())
              : new LayerConfig(size, recurrent, beta));
    }
    Surrogate surrogate =
        r.nextBoolean()
            ? new Surrogate.FastSigmoid(2 + 10 * r.nextDouble())
            : new Surrogate.Triangle(0.2 + 0.6 * r.nextDouble());
    int input = 2 + r.nextInt(20);
    int classes = 2 + r.nextInt(4);
    ModelConfig config =
        new ModelConfig(
            input, layers, classes, surrogate, 0.5 + r.nextDouble(), 0.8 + 0.19 * r.nextDouble());
    Parameters p =
        Parameters.initialise(config, r.nextLong(), new InitScheme(2 + 4 * r.nextDouble(), 1.5, 1));
    int batch = 1 + r.nextInt(4);
    int steps = minSteps + r.nextInt(maxSteps - minSteps + 1);
    return new Cases(seed, config, p, frames(r, batch, steps, input, classes));
  }

  public static FrameSource frames(
      SplittableRandom r, int batch, int steps, int input, int classes) {
    return RandomCase.frames(r, batch, steps, input, classes, 0.02, 0.3);
  }

  /**
   * This case with the loss head {@code last:K} (MODEL_SPEC v2), K drawn from the seed in [1, T]:
   * the same network, parameters and data.
   */
  public Cases withLastSteps() {
    int k = 1 + new SplittableRandom(seed * 31 + 7).nextInt(steps());
    ModelConfig head = config.withLoss(new LossSpec(k));
    return new Cases(seed, head, Parameters.wrap(head, parameters.data().clone()), frames);
  }

  /**
   * This case under the per-step loss head, a label or -1 at every step (as {@link
   * RandomCase#stepLabelled}): the same network, parameters and frames.
   */
  public Cases withStepLabels() {
    ModelConfig head = config.withLoss(LossSpec.PER_STEP);
    return new Cases(
        seed,
        head,
        Parameters.wrap(head, parameters.data().clone()),
        RandomCase.stepLabelled(frames, config.classes(), seed));
  }

  /**
   * This case under the regression head, a target vector with NaN components at every step (as
   * {@link RandomCase#stepTargeted}): the same network, parameters and frames.
   */
  public Cases withStepTargets() {
    ModelConfig head = config.withLoss(LossSpec.REGRESSION);
    return new Cases(
        seed,
        head,
        Parameters.wrap(head, parameters.data().clone()),
        RandomCase.stepTargeted(frames, config.classes(), seed));
  }

  /**
   * This case with trainable time constants, mixed with fixed ones (as {@link
   * RandomCase#withTrainableTimeConstants}): the same network, weights and frames.
   */
  public Cases withTrainableTimeConstants() {
    RandomCase c = new RandomCase(seed, config, parameters, frames).withTrainableTimeConstants();
    return new Cases(seed, c.config(), c.parameters(), frames);
  }

  public int batch() {
    return frames.batchSize();
  }

  public int steps() {
    return frames.steps();
  }

  /** A plausible cost model for planning in tests: a slow tier 20x dearer than a step. */
  static CostModel cost() {
    return new CostModel(
        1e-4, 1.3e-4, 2.5e-4, 4096, 2048, new TierCost(1e-6, 1e-6), new TierCost(2e-3, 2e-3));
  }

  @Override
  public String toString() {
    return "seed=" + seed + " T=" + steps() + " B=" + batch() + " " + config.toJson();
  }
}
