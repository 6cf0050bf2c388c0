package dev.rewind.trainer.petra;

import dev.rewind.trainer.data.FrameSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The modules of a {@link ReversibleNetworkConfig} in order: stem (module 0), blocks (modules 1 ..
 * blocks), readout (module blocks + 1). Parameters live outside, one float array per module ({@link
 * NetworkParameters}). Immutable and thread-safe.
 */
public final class ReversibleNetwork {
  private final ReversibleNetworkConfig config;
  private final InputProjection stem;
  private final ReversibleBlock block;
  private final LeakyReadout readout;

  public ReversibleNetwork(ReversibleNetworkConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.stem = new InputProjection(config.inputChannels(), config.width());
    this.block = new ReversibleBlock(config.mapConfig());
    this.readout = new LeakyReadout(config.width(), config.classes(), config.readoutBeta());
  }

  public ReversibleNetworkConfig config() {
    return config;
  }

  public InputProjection stem() {
    return stem;
  }

  /** Every block has the same shape, so one instance serves all (parameters differ). */
  public ReversibleBlock block() {
    return block;
  }

  public LeakyReadout readout() {
    return readout;
  }

  /** Number of modules: blocks + 2. */
  public int moduleCount() {
    return config.blocks() + 2;
  }

  /** Fresh parameters, deterministic from {@code seed}. */
  public NetworkParameters initialise(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<float[]> modules = new ArrayList<>();
    float[] s = new float[stem.parameterCount()];
    stem.initialise(s, 0, random, config.inputGain());
    modules.add(s);
    for (int i = 0; i < config.blocks(); i++) {
      float[] b = new float[block.parameterCount()];
      block.initialise(b, 0, random, config.inputGain(), config.couplingGain());
      modules.add(b);
    }
    float[] r = new float[readout.parameterCount()];
    readout.initialise(r, 0, random, 1.0);
    modules.add(r);
    return new NetworkParameters(modules);
  }

  /** Loss and accuracy on {@code frames}, forward only. */
  public LeakyReadout.HeadResult evaluate(NetworkParameters params, FrameSource frames) {
    requireShape(params);
    Activation x = stem.forward(params.module(0), 0, frames);
    for (int i = 0; i < config.blocks(); i++) {
      x = block.forward(params.module(i + 1), 0, x);
    }
    return readout.evaluate(params.module(config.blocks() + 1), 0, x, labels(frames));
  }

  /** Throws unless {@code params} has one array of the right length per module. */
  public void requireShape(NetworkParameters params) {
    if (params.moduleCount() != moduleCount()) {
      throw new IllegalArgumentException(
          "parameters: expected " + moduleCount() + " modules, got " + params.moduleCount());
    }
    for (int m = 0; m < moduleCount(); m++) {
      int expected =
          m == 0
              ? stem.parameterCount()
              : m == moduleCount() - 1 ? readout.parameterCount() : block.parameterCount();
      if (params.module(m).length != expected) {
        throw new IllegalArgumentException(
            "parameters of module "
                + m
                + ": expected "
                + expected
                + " floats, got "
                + params.module(m).length);
      }
    }
  }

  static int[] labels(FrameSource frames) {
    int[] labels = new int[frames.batchSize()];
    for (int b = 0; b < labels.length; b++) {
      labels[b] = frames.label(b);
    }
    return labels;
  }
}
