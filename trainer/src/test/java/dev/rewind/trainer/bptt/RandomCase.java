package dev.rewind.trainer.bptt;

import dev.rewind.trainer.data.DenseFrames;
import dev.rewind.trainer.data.EventFrames;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.data.StepLabelledFrames;
import dev.rewind.trainer.data.StepTargetFrames;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.LossSpec;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.Surrogate;
import dev.rewind.trainer.model.TensorView;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A random model, parameters and batch, fully determined by a seed (printed by the tests). */
public record RandomCase(long seed, ModelConfig config, Parameters parameters, FrameSource frames) {

  static RandomCase draw(long seed, int maxSteps) {
    return draw(seed, maxSteps, false);
  }

  /**
   * As {@link #draw(long, int)}, with each layer an ALIF layer (MODEL_SPEC v2) one time in two when
   * {@code adaptive}: kappa in [0.2, 2.2), adaptation time constant in [2, 60) steps. The choice
   * comes from a stream of its own, so the rest of the case is the v1 case of the seed.
   */
  public static RandomCase draw(long seed, int maxSteps, boolean adaptive) {
    SplittableRandom r = new SplittableRandom(seed);
    SplittableRandom alif = new SplittableRandom(~seed);
    int depth = 1 + r.nextInt(3);
    List<LayerConfig> layers = new ArrayList<>();
    for (int l = 0; l < depth; l++) {
      LayerConfig lif =
          new LayerConfig(2 + r.nextInt(20), r.nextBoolean(), 0.5 + 0.49 * r.nextDouble());
      layers.add(
          adaptive && alif.nextBoolean()
              ? LayerConfig.adaptive(
                  lif.size(),
                  lif.recurrent(),
                  lif.beta(),
                  0.2 + 2 * alif.nextDouble(),
                  2 + 58 * alif.nextDouble())
              : lif);
    }
    Surrogate surrogate =
        r.nextBoolean()
            ? new Surrogate.FastSigmoid(2 + 10 * r.nextDouble())
            : new Surrogate.Triangle(0.2 + 0.6 * r.nextDouble());
    int input = 1 + r.nextInt(16);
    int classes = 2 + r.nextInt(4);
    ModelConfig config =
        new ModelConfig(
            input, layers, classes, surrogate, 0.5 + r.nextDouble(), 0.5 + 0.49 * r.nextDouble());
    Parameters p =
        Parameters.initialise(
            config, r.nextLong(), new InitScheme(2 + 4 * r.nextDouble(), 1.5, 1.0));
    float[] data = p.data();
    for (int i = 0; i < data.length; i++) {
      if (r.nextInt(10) == 0) {
        data[i] += (float) (0.3 * r.nextGaussian());
      }
    }
    int batch = 1 + r.nextInt(4);
    int steps = 1 + r.nextInt(maxSteps);
    return new RandomCase(seed, config, p, frames(r, batch, steps, input, classes));
  }

  /**
   * This case with the loss head {@code last:K}, K drawn from the seed in [1, T], T included: the
   * same network, parameters and data.
   */
  public RandomCase withLastSteps() {
    int steps = frames.steps();
    int k = 1 + new SplittableRandom(seed * 31 + 7).nextInt(steps);
    ModelConfig head = config.withLoss(new LossSpec(k));
    return new RandomCase(seed, head, Parameters.wrap(head, parameters.data().clone()), frames);
  }

  /**
   * This case under the per-step loss head: a label in [0, C) at each step, or -1 (none) one time
   * in three, drawn from the seed; the same network, parameters and frames.
   */
  public RandomCase withStepLabels() {
    ModelConfig head = config.withLoss(LossSpec.PER_STEP);
    return new RandomCase(
        seed,
        head,
        Parameters.wrap(head, parameters.data().clone()),
        stepLabelled(frames, config.classes(), seed));
  }

  /**
   * This case with trainable time constants (MODEL_SPEC v2): each layer's one time in two, the
   * readout's one time in two, at least one of them; each q, p and qo is its fixed leak's logit
   * moved by a draw in [-1, 1), so the neurons' leaks differ. The same network, weights and frames.
   */
  public RandomCase withTrainableTimeConstants() {
    SplittableRandom r = new SplittableRandom(seed * 13 + 11);
    List<LayerConfig> layers = new ArrayList<>();
    boolean any = false;
    for (LayerConfig layer : config.layers()) {
      boolean train = r.nextBoolean();
      any |= train;
      layers.add(layer.withTrainTau(train));
    }
    boolean readout = !any || r.nextBoolean();
    ModelConfig trainable =
        new ModelConfig(
            config.inputSize(),
            layers,
            config.classes(),
            config.surrogate(),
            config.theta(),
            config.betaOut(),
            config.loss(),
            readout);
    Parameters p = Parameters.initialise(trainable, 0, InitScheme.DEFAULT);
    for (TensorView v : p.layout().views()) {
      if (p.layout().timeConstants().contains(v)) {
        for (int i = 0; i < v.size(); i++) {
          p.data()[v.offset() + i] += (float) (2 * r.nextDouble() - 1);
        }
      } else {
        TensorView old = parameters.layout().view(v.name());
        System.arraycopy(parameters.data(), old.offset(), p.data(), v.offset(), v.size());
      }
    }
    return new RandomCase(seed, trainable, p, frames);
  }

  /**
   * This case under the regression head: a target vector of C components at each step, each NaN
   * (none) one time in three, drawn from the seed; the same network, parameters and frames.
   */
  public RandomCase withStepTargets() {
    ModelConfig head = config.withLoss(LossSpec.REGRESSION);
    return new RandomCase(
        seed,
        head,
        Parameters.wrap(head, parameters.data().clone()),
        stepTargeted(frames, config.classes(), seed));
  }

  /**
   * {@code frames} with a target vector of {@code width} components in [-1, 1) at every step, each
   * NaN one time in three and every component of a whole step NaN one step in five, from {@code
   * seed}.
   */
  public static FrameSource stepTargeted(FrameSource frames, int width, long seed) {
    SplittableRandom r = new SplittableRandom(seed * 19 + 5);
    float[] targets = new float[frames.batchSize() * frames.steps() * width];
    for (int cell = 0; cell < targets.length / width; cell++) {
      boolean none = r.nextInt(5) == 0;
      for (int c = 0; c < width; c++) {
        targets[cell * width + c] =
            none || r.nextInt(3) == 0 ? Float.NaN : (float) (2 * r.nextDouble() - 1);
      }
    }
    return new StepTargetFrames(frames, width, targets);
  }

  /** {@code frames} with a label in [0, classes) or -1 at every step, drawn from {@code seed}. */
  public static FrameSource stepLabelled(FrameSource frames, int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed * 17 + 3);
    int[] labels = new int[frames.batchSize() * frames.steps()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = r.nextInt(3) == 0 ? LossSpec.IGNORE : r.nextInt(classes);
    }
    return new StepLabelledFrames(frames, labels);
  }

  static FrameSource frames(SplittableRandom r, int batch, int steps, int input, int classes) {
    return frames(r, batch, steps, input, classes, 0.05, 0.4);
  }

  /**
   * Random labels and random inputs, dense (binary or real-valued) or events (some duplicated),
   * with a density drawn from [minDensity, minDensity + densitySpread).
   */
  public static FrameSource frames(
      SplittableRandom r,
      int batch,
      int steps,
      int input,
      int classes,
      double minDensity,
      double densitySpread) {
    int[] labels = new int[batch];
    for (int b = 0; b < batch; b++) {
      labels[b] = r.nextInt(classes);
    }
    double density = minDensity + densitySpread * r.nextDouble();
    if (r.nextBoolean()) {
      float[] values = new float[batch * steps * input];
      boolean binary = r.nextBoolean();
      for (int i = 0; i < values.length; i++) {
        if (r.nextDouble() < density) {
          values[i] = binary ? 1f : (float) (2 * r.nextGaussian());
        }
      }
      return new DenseFrames(values, batch, steps, input, labels);
    }
    int[][] times = new int[batch][];
    int[][] channels = new int[batch][];
    for (int b = 0; b < batch; b++) {
      List<int[]> events = new ArrayList<>();
      for (int t = 0; t < steps; t++) {
        for (int j = 0; j < input; j++) {
          if (r.nextDouble() < density) {
            events.add(new int[] {t, j});
            if (r.nextInt(8) == 0) {
              events.add(new int[] {t, j});
            }
          }
        }
      }
      times[b] = events.stream().mapToInt(e -> e[0]).toArray();
      channels[b] = events.stream().mapToInt(e -> e[1]).toArray();
    }
    return new EventFrames(steps, input, times, channels, labels);
  }

  @Override
  public String toString() {
    return "seed="
        + seed
        + " T="
        + frames.steps()
        + " B="
        + frames.batchSize()
        + " "
        + config.toJson();
  }
}
