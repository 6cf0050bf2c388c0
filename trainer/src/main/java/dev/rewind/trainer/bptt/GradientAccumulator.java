package dev.rewind.trainer.bptt;

import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.ParameterLayout;
import dev.rewind.trainer.model.TensorView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sums parameter gradients over reverse steps. Matrices are accumulated transposed (input-major:
 * row j of {@code inputT(l)} is column j of dW_l), so that each input spike adds one contiguous
 * vector; {@link #flatten(float[])} writes them in the {@link ParameterLayout} order. Additions
 * happen in a fixed global order (step descending, batch row ascending), so the sums do not depend
 * on how the steps were grouped into segments.
 */
public final class GradientAccumulator {
  private final ParameterLayout layout;
  private final int depth;
  private final float[][][] inputT;
  private final float[][][] recurrentT;
  private final float[][] bias;
  private final float[] readoutT;
  private final float[] readoutBias;

  /** dL/dq_l, dL/dp_l (empty where fixed) and dL/dqo (null where fixed): MODEL_SPEC v2. */
  private final float[][] membraneLogit;

  private final float[][] adaptationLogit;
  private final float[] readoutLogit;

  /**
   * Each of those sums with its tensor in the flat layout, for {@link #flatten} and {@link #load}.
   */
  private final List<VectorSums> timeConstantSums = new ArrayList<>();

  private record VectorSums(float[] sums, TensorView view) {}

  public GradientAccumulator(ModelConfig config) {
    this.layout = new ParameterLayout(config);
    this.depth = config.depth();
    inputT = new float[depth][][];
    recurrentT = new float[depth][][];
    bias = new float[depth][];
    membraneLogit = new float[depth][];
    adaptationLogit = new float[depth][];
    for (int l = 0; l < depth; l++) {
      int n = config.width(l + 1);
      var layer = config.layers().get(l);
      membraneLogit[l] = new float[layer.trainTau() ? n : 0];
      adaptationLogit[l] = new float[layer.trainTau() && layer.adaptive() ? n : 0];
      inputT[l] = new float[config.width(l)][n];
      recurrentT[l] = new float[config.layers().get(l).recurrent() ? n : 0][n];
      bias[l] = new float[n];
    }
    readoutT = new float[config.width(depth) * config.classes()];
    readoutBias = new float[config.classes()];
    readoutLogit = config.trainReadoutTau() ? new float[config.classes()] : null;
    for (int l = 0; l < depth; l++) {
      if (membraneLogit[l].length > 0) {
        timeConstantSums.add(new VectorSums(membraneLogit[l], layout.view("q" + (l + 1))));
      }
      if (adaptationLogit[l].length > 0) {
        timeConstantSums.add(new VectorSums(adaptationLogit[l], layout.view("p" + (l + 1))));
      }
    }
    if (readoutLogit != null) {
      timeConstantSums.add(new VectorSums(readoutLogit, layout.view("qo")));
    }
  }

  public ParameterLayout layout() {
    return layout;
  }

  /** dW_l transposed, one array per input: {@code [j][i]} = dL/dW_l[i][j]. */
  float[][] inputT(int layer) {
    return inputT[layer];
  }

  float[][] recurrentT(int layer) {
    return recurrentT[layer];
  }

  float[] bias(int layer) {
    return bias[layer];
  }

  float[] readoutT() {
    return readoutT;
  }

  float[] readoutBias() {
    return readoutBias;
  }

  float[] membraneLogit(int layer) {
    return membraneLogit[layer];
  }

  float[] adaptationLogit(int layer) {
    return adaptationLogit[layer];
  }

  float[] readoutLogit() {
    return readoutLogit;
  }

  public void clear() {
    for (int l = 0; l < depth; l++) {
      for (float[] row : inputT[l]) {
        Arrays.fill(row, 0f);
      }
      for (float[] row : recurrentT[l]) {
        Arrays.fill(row, 0f);
      }
      Arrays.fill(bias[l], 0f);
    }
    Arrays.fill(readoutT, 0f);
    Arrays.fill(readoutBias, 0f);
    for (VectorSums v : timeConstantSums) {
      Arrays.fill(v.sums(), 0f);
    }
  }

  /** The accumulated gradient in the flat parameter layout, into {@code out}. */
  public void flatten(float[] out) {
    if (out.length != layout.size()) {
      throw new IllegalArgumentException(
          "gradient array: expected " + layout.size() + " floats, got " + out.length);
    }
    for (int l = 0; l < depth; l++) {
      int id = l + 1;
      transposeInto(inputT[l], out, layout.view("W" + id));
      if (recurrentT[l].length > 0) {
        transposeInto(recurrentT[l], out, layout.view("R" + id));
      }
      TensorView b = layout.view("b" + id);
      System.arraycopy(bias[l], 0, out, b.offset(), b.size());
    }
    transposeInto(readoutT, out, layout.view("Wo"));
    TensorView bo = layout.view("bo");
    System.arraycopy(readoutBias, 0, out, bo.offset(), bo.size());
    for (VectorSums v : timeConstantSums) {
      System.arraycopy(v.sums(), 0, out, v.view().offset(), v.view().size());
    }
  }

  /**
   * Sets the sums to {@code flat}, a gradient in the flat parameter layout, so that further
   * additions continue from it in the order one uninterrupted pass would have made them: how a
   * segment's backward carries on the gradient of the segments after it, bit for bit.
   */
  public void load(float[] flat) {
    if (flat.length != layout.size()) {
      throw new IllegalArgumentException(
          "gradient array: expected " + layout.size() + " floats, got " + flat.length);
    }
    for (int l = 0; l < depth; l++) {
      int id = l + 1;
      transposeFrom(flat, layout.view("W" + id), inputT[l]);
      if (recurrentT[l].length > 0) {
        transposeFrom(flat, layout.view("R" + id), recurrentT[l]);
      }
      TensorView b = layout.view("b" + id);
      System.arraycopy(flat, b.offset(), bias[l], 0, b.size());
    }
    TensorView wo = layout.view("Wo");
    for (int j = 0; j < wo.cols(); j++) {
      for (int i = 0; i < wo.rows(); i++) {
        readoutT[j * wo.rows() + i] = flat[wo.offset() + i * wo.cols() + j];
      }
    }
    TensorView bo = layout.view("bo");
    System.arraycopy(flat, bo.offset(), readoutBias, 0, bo.size());
    for (VectorSums v : timeConstantSums) {
      System.arraycopy(flat, v.view().offset(), v.sums(), 0, v.view().size());
    }
  }

  private static void transposeFrom(float[] src, TensorView view, float[][] dst) {
    int cols = view.cols();
    for (int j = 0; j < cols; j++) {
      float[] column = dst[j];
      for (int i = 0; i < view.rows(); i++) {
        column[i] = src[view.offset() + i * cols + j];
      }
    }
  }

  /** A new array holding {@link #flatten(float[])}. */
  public float[] toArray() {
    float[] out = new float[layout.size()];
    flatten(out);
    return out;
  }

  /** src is cols x rows (transposed); writes rows x cols row-major at the view's offset. */
  static void transposeInto(float[] src, float[] dst, TensorView view) {
    int rows = view.rows();
    int cols = view.cols();
    int base = view.offset();
    for (int j = 0; j < cols; j++) {
      for (int i = 0; i < rows; i++) {
        dst[base + i * cols + j] = src[j * rows + i];
      }
    }
  }

  /** src[j][i] (one array per column); writes rows x cols row-major at the view's offset. */
  static void transposeInto(float[][] src, float[] dst, TensorView view) {
    int rows = view.rows();
    int cols = view.cols();
    int base = view.offset();
    for (int j = 0; j < cols; j++) {
      float[] column = src[j];
      for (int i = 0; i < rows; i++) {
        dst[base + i * cols + j] = column[i];
      }
    }
  }
}
