package dev.rewind.trainer.io;

import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.ParameterLayout;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.TensorView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's parameters (or a gradient of the same layout) as a folder of {@code .npy} files, one
 * per named tensor ({@code W1.npy}, {@code R1.npy}, {@code b1.npy}, ..., {@code Wo.npy}, {@code
 * bo.npy}) with MODEL_SPEC's shapes: the form in which a model moves between Rewind and PyTorch.
 */
public final class ParameterFiles {
  private final ParameterLayout layout;
  private final NamedTensorFolder folder;

  public ParameterFiles(ModelConfig config) {
    this.layout = new ParameterLayout(config);
    List<TensorSpec> specs = new ArrayList<>();
    for (TensorView v : layout.views()) {
      specs.add(TensorSpec.float32(v.name(), shapeOf(v)));
    }
    this.folder = new NamedTensorFolder(specs);
  }

  /** Writes the flat array {@code flat} (parameters or gradient) as one file per tensor. */
  public void write(Path dir, float[] flat) throws IOException {
    if (flat.length != layout.size()) {
      throw new IllegalArgumentException(
          "flat array: expected " + layout.size() + " floats, got " + flat.length);
    }
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    for (TensorView v : layout.views()) {
      float[] data = new float[v.size()];
      System.arraycopy(flat, v.offset(), data, 0, v.size());
      tensors.put(v.name(), new FloatTensor(shapeOf(v), data));
    }
    folder.write(dir, tensors);
  }

  /**
   * Reads a folder written by {@link #write} or by PyTorch/NumPy into a flat array.
   *
   * @throws TensorFolderException naming a missing or unknown tensor, or one of the wrong shape
   */
  public float[] readFlat(Path dir) throws IOException {
    Map<String, NpyArray> tensors = folder.read(dir);
    float[] flat = new float[layout.size()];
    for (TensorView v : layout.views()) {
      FloatTensor t = (FloatTensor) tensors.get(v.name());
      System.arraycopy(t.data(), 0, flat, v.offset(), v.size());
    }
    return flat;
  }

  /** Reads parameters; a NaN or infinity fails naming the tensor and index. */
  public Parameters read(Path dir) throws IOException {
    return Parameters.wrap(layout.config(), readFlat(dir));
  }

  private static int[] shapeOf(TensorView v) {
    return v.shape().stream().mapToInt(Integer::intValue).toArray();
  }
}
