package dev.rewind.trainer.bptt;

import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.ParameterLayout;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.TensorView;

/**
 * A network's shape and constants (MODEL_SPEC.md) and its parameters in the layouts the kernels
 * read: W and R transposed (one array per presynaptic neuron, for event-driven sums over spikes), W
 * and R as rows (for the backward products q W and q R), the readout both ways. Shared by the
 * forward and backward kernels of one engine.
 */
final class LifWeights {
  final ModelConfig config;
  final int depth;
  final int classes;
  final int[] width;
  final int[] inWidth;
  final int maxWidth;
  final boolean[] recurrent;
  final float[] beta;
  final float[] leak;
  final boolean[] adaptive;
  final float[] kappa;
  final float[] rho;
  final float[] rhoLeak;
  final float theta;
  final boolean sparse;

  /**
   * Trainable time constants (MODEL_SPEC v2), per layer: whether layer l's leaks are per-neuron
   * parameters; if so [l][i] its beta_i = sigmoid(q_i), 1 - beta_i and the slope beta_i (1 -
   * beta_i) = d beta_i / d q_i, and for an ALIF layer the same of rho_i = sigmoid(p_i). Null for a
   * layer with fixed leaks, which the scalars above serve.
   */
  final boolean[] trainTau;

  final float[][] neuronBeta;
  final float[][] neuronLeak;
  final float[][] betaSlope;
  final float[][] neuronRho;
  final float[][] neuronRhoLeak;
  final float[][] rhoSlope;

  /**
   * The readout's leak beta_o and 1 - beta_o per class: betaOut for every class, or sigmoid(qo_c)
   * where trainable, with the slope d beta_o,c / d qo_c (null where fixed).
   */
  final float[] classBeta;

  final float[] classLeak;
  final float[] classSlope;

  /** [l][pre][post]: W_l and R_l transposed. */
  final float[][][] inputT;

  final float[][][] recurrentT;

  /** [l][post][pre]: W_l and R_l as rows, the matrices of the backward products. */
  final float[][][] inputRows;

  final float[][][] recurrentRows;
  final float[][] bias;

  /** [pre * classes + c]: the readout transposed. */
  final float[] readoutT;

  final float[][] readoutW;
  final float[] readoutBias;

  private final ParameterLayout layout;
  private boolean loaded;

  LifWeights(ModelConfig config) {
    this.config = config;
    this.layout = new ParameterLayout(config);
    depth = config.depth();
    classes = config.classes();
    width = new int[depth];
    inWidth = new int[depth];
    recurrent = new boolean[depth];
    beta = new float[depth];
    leak = new float[depth];
    adaptive = new boolean[depth];
    kappa = new float[depth];
    rho = new float[depth];
    rhoLeak = new float[depth];
    inputT = new float[depth][][];
    recurrentT = new float[depth][][];
    inputRows = new float[depth][][];
    recurrentRows = new float[depth][][];
    bias = new float[depth][];
    trainTau = new boolean[depth];
    neuronBeta = new float[depth][];
    neuronLeak = new float[depth][];
    betaSlope = new float[depth][];
    neuronRho = new float[depth][];
    neuronRhoLeak = new float[depth][];
    rhoSlope = new float[depth][];
    int widest = 0;
    for (int l = 0; l < depth; l++) {
      width[l] = config.width(l + 1);
      inWidth[l] = config.width(l);
      recurrent[l] = config.layers().get(l).recurrent();
      beta[l] = (float) config.layers().get(l).beta();
      leak[l] = (float) (1.0 - config.layers().get(l).beta());
      adaptive[l] = config.layers().get(l).adaptive();
      kappa[l] = (float) config.layers().get(l).kappa();
      rho[l] = (float) config.layers().get(l).rho();
      rhoLeak[l] = (float) (1.0 - config.layers().get(l).rho());
      inputT[l] = new float[inWidth[l]][width[l]];
      inputRows[l] = new float[l > 0 ? width[l] : 0][inWidth[l]];
      recurrentT[l] = new float[recurrent[l] ? width[l] : 0][width[l]];
      recurrentRows[l] = new float[recurrent[l] ? width[l] : 0][width[l]];
      bias[l] = new float[width[l]];
      trainTau[l] = config.layers().get(l).trainTau();
      if (trainTau[l]) {
        neuronBeta[l] = new float[width[l]];
        neuronLeak[l] = new float[width[l]];
        betaSlope[l] = new float[width[l]];
        if (adaptive[l]) {
          neuronRho[l] = new float[width[l]];
          neuronRhoLeak[l] = new float[width[l]];
          rhoSlope[l] = new float[width[l]];
        }
      }
      widest = Math.max(widest, Math.max(width[l], inWidth[l]));
    }
    maxWidth = widest;
    theta = (float) config.theta();
    sparse = config.surrogate().compactSupport();
    int top = width[depth - 1];
    readoutT = new float[top * classes];
    readoutW = new float[classes][top];
    readoutBias = new float[classes];
    classBeta = new float[classes];
    classLeak = new float[classes];
    java.util.Arrays.fill(classBeta, (float) config.betaOut());
    java.util.Arrays.fill(classLeak, (float) (1.0 - config.betaOut()));
    classSlope = config.trainReadoutTau() ? new float[classes] : null;
  }

  /** Takes (copies, in the derived layouts) the parameter values; rejects non-finite ones. */
  void load(Parameters parameters) {
    if (!parameters.config().equals(config)) {
      throw new IllegalArgumentException(
          "parameters: expected config "
              + config.toJson()
              + ", got "
              + parameters.config().toJson());
    }
    parameters.checkFinite();
    float[] p = parameters.data();
    for (int l = 0; l < depth; l++) {
      int id = l + 1;
      TensorView w = layout.view("W" + id);
      transpose(p, w.offset(), width[l], inWidth[l], inputT[l]);
      copyRows(p, w.offset(), inputRows[l]);
      if (recurrent[l]) {
        TensorView r = layout.view("R" + id);
        transpose(p, r.offset(), width[l], width[l], recurrentT[l]);
        copyRows(p, r.offset(), recurrentRows[l]);
      }
      System.arraycopy(p, layout.view("b" + id).offset(), bias[l], 0, width[l]);
      if (trainTau[l]) {
        leaks(p, layout.view("q" + id), neuronBeta[l], neuronLeak[l], betaSlope[l]);
        if (adaptive[l]) {
          leaks(p, layout.view("p" + id), neuronRho[l], neuronRhoLeak[l], rhoSlope[l]);
        }
      }
    }
    TensorView wo = layout.view("Wo");
    int top = width[depth - 1];
    for (int c = 0; c < classes; c++) {
      System.arraycopy(p, wo.offset() + c * top, readoutW[c], 0, top);
      for (int j = 0; j < top; j++) {
        readoutT[j * classes + c] = p[wo.offset() + c * top + j];
      }
    }
    System.arraycopy(p, layout.view("bo").offset(), readoutBias, 0, classes);
    if (classSlope != null) {
      leaks(p, layout.view("qo"), classBeta, classLeak, classSlope);
    }
    loaded = true;
  }

  /** The leak sigmoid(q), 1 minus it and its slope, of each entry q of {@code logits}. */
  private static void leaks(
      float[] p, TensorView logits, float[] leak, float[] rest, float[] slope) {
    for (int i = 0; i < leak.length; i++) {
      double beta = LayerConfig.sigmoid(p[logits.offset() + i]);
      leak[i] = (float) beta;
      rest[i] = (float) (1.0 - beta);
      slope[i] = (float) (beta * (1.0 - beta));
    }
  }

  boolean loaded() {
    return loaded;
  }

  /** dst[j][i] = src[offset + i * cols + j]. */
  private static void transpose(float[] src, int offset, int rows, int cols, float[][] dst) {
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        dst[j][i] = src[offset + i * cols + j];
      }
    }
  }

  private static void copyRows(float[] src, int offset, float[][] dst) {
    for (int i = 0; i < dst.length; i++) {
      System.arraycopy(src, offset + i * dst[i].length, dst[i], 0, dst[i].length);
    }
  }
}
