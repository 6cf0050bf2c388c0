package dev.rewind.trainer.model;

import java.util.SplittableRandom;

/**
 * All trainable parameters of a model in ONE flat float array, laid out by {@link ParameterLayout}.
 * The array is exposed for optimizers and serialisation, which update it in place; an engine caches
 * derived forms of it and must be told when it changes.
 */
public final class Parameters {
  private final ParameterLayout layout;
  private final float[] data;

  private Parameters(ParameterLayout layout, float[] data) {
    this.layout = layout;
    this.data = data;
  }

  /** All zeros. */
  public static Parameters zeros(ModelConfig config) {
    ParameterLayout layout = new ParameterLayout(config);
    return new Parameters(layout, new float[layout.size()]);
  }

  /** Wraps (does not copy) a flat array, which must have the layout's size and be finite. */
  public static Parameters wrap(ModelConfig config, float[] data) {
    ParameterLayout layout = new ParameterLayout(config);
    if (data.length != layout.size()) {
      throw new IllegalArgumentException(
          "parameter array: expected " + layout.size() + " floats, got " + data.length);
    }
    Parameters p = new Parameters(layout, data);
    p.checkFinite();
    return p;
  }

  /** Seeded draw: see {@link InitScheme}; the same (config, seed, scheme) gives the same array. */
  public static Parameters initialise(ModelConfig config, long seed, InitScheme scheme) {
    Parameters p = zeros(config);
    SplittableRandom random = new SplittableRandom(seed);
    for (TensorView v : p.layout.views()) {
      if (v.shape().size() == 1) {
        continue;
      }
      double scale =
          switch (v.name().charAt(0)) {
            case 'R' -> scheme.recurrentScale();
            case 'W' -> v.name().equals("Wo") ? scheme.readoutScale() : scheme.inputScale();
            default -> throw new IllegalStateException("unexpected tensor " + v.name());
          };
      double a = scale / Math.sqrt(v.cols());
      for (int i = 0; i < v.size(); i++) {
        p.data[v.offset() + i] = (float) ((2 * random.nextDouble() - 1) * a);
      }
    }
    p.initialiseTimeConstants();
    return p;
  }

  /**
   * Sets each trainable time constant's tensor (q_l, p_l, qo) to the logit of its configured leak,
   * so that a trainable model starts as the fixed one.
   */
  private void initialiseTimeConstants() {
    ModelConfig config = layout.config();
    for (int l = 1; l <= config.depth(); l++) {
      LayerConfig layer = config.layers().get(l - 1);
      if (layer.trainTau()) {
        fill("q" + l, LayerConfig.logit(layer.beta()));
        if (layer.adaptive()) {
          fill("p" + l, LayerConfig.logit(layer.rho()));
        }
      }
    }
    if (config.trainReadoutTau()) {
      fill("qo", LayerConfig.logit(config.betaOut()));
    }
  }

  private void fill(String tensor, double value) {
    TensorView v = layout.view(tensor);
    java.util.Arrays.fill(data, v.offset(), v.offset() + v.size(), (float) value);
  }

  public ParameterLayout layout() {
    return layout;
  }

  public ModelConfig config() {
    return layout.config();
  }

  /** The live flat array (not a copy). */
  public float[] data() {
    return data;
  }

  /** An independent copy. */
  public Parameters copy() {
    return new Parameters(layout, data.clone());
  }

  /** Throws IllegalArgumentException naming the tensor, index and value of a NaN or infinity. */
  public void checkFinite() {
    for (TensorView v : layout.views()) {
      for (int i = 0; i < v.size(); i++) {
        float x = data[v.offset() + i];
        if (!Float.isFinite(x)) {
          throw new IllegalArgumentException(
              "parameter " + v.name() + "[" + i + "]: expected a finite value, got " + x);
        }
      }
    }
  }
}
