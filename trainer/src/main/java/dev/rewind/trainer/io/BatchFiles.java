package dev.rewind.trainer.io;

import dev.rewind.trainer.data.DenseFrames;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.data.StepLabelledFrames;
import dev.rewind.trainer.data.StepTargetFrames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A batch as two {@code .npy} files, as PyTorch code keeps it: inputs float32 {@code [T][B][N0]}
 * and labels int32 {@code [B]}, or {@code [T][B]} for a per-step loss head (-1: no label), or in
 * their place float32 targets {@code [T][B][C]} for a regression head (NaN: no target).
 */
public final class BatchFiles {
  private BatchFiles() {}

  /**
   * Reads a batch: {@link DenseFrames} for {@code [B]} labels, {@link StepLabelledFrames} over them
   * for {@code [T][B]} labels, {@link StepTargetFrames} over them for float {@code [T][B][C]}
   * targets (each sequence's own label then 0).
   *
   * @throws TensorFolderException naming the file when a rank, a dimension or a value does not fit
   */
  public static FrameSource read(Path inputsFile, Path labelsFile) throws IOException {
    FloatTensor inputs = Npy.readFloat(inputsFile);
    NpyArray supervision = Npy.read(labelsFile);
    int[] shape = inputs.shape();
    if (shape.length != 3) {
      throw new TensorFolderException(
          inputsFile + ": expected shape [T, B, N0], got " + Arrays.toString(shape));
    }
    int steps = shape[0];
    int batch = shape[1];
    int channels = shape[2];
    float[] values = batchMajor(inputs.data(), steps, batch, channels);
    if (supervision instanceof FloatTensor targets) {
      return stepTargeted(values, steps, batch, channels, targets, inputsFile, labelsFile);
    }
    IntTensor labels = supervision.asInt();
    int[] labelShape = labels.shape();
    boolean perStep = Arrays.equals(labelShape, new int[] {steps, batch});
    if (!perStep && !Arrays.equals(labelShape, new int[] {batch})) {
      throw new TensorFolderException(
          labelsFile
              + ": expected shape ["
              + batch
              + "] or ["
              + steps
              + ", "
              + batch
              + "] (T and B of "
              + inputsFile.getFileName()
              + "; [T, B] for per-step labels), got "
              + Arrays.toString(labelShape));
    }
    if (!perStep) {
      return new DenseFrames(values, batch, steps, channels, labels.data());
    }
    int[] stepLabels = new int[batch * steps];
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        stepLabels[b * steps + t] = labels.data()[t * batch + b];
      }
    }
    try {
      return new StepLabelledFrames(
          new DenseFrames(values, batch, steps, channels, new int[batch]), stepLabels);
    } catch (IllegalArgumentException e) {
      throw new TensorFolderException(labelsFile + ": " + e.getMessage());
    }
  }

  private static FrameSource stepTargeted(
      float[] values,
      int steps,
      int batch,
      int channels,
      FloatTensor targets,
      Path inputsFile,
      Path targetsFile)
      throws TensorFolderException {
    int[] targetShape = targets.shape();
    if (targetShape.length != 3 || targetShape[0] != steps || targetShape[1] != batch) {
      throw new TensorFolderException(
          targetsFile
              + ": expected float targets of shape ["
              + steps
              + ", "
              + batch
              + ", C] (T and B of "
              + inputsFile.getFileName()
              + "), got "
              + Arrays.toString(targetShape));
    }
    int width = targetShape[2];
    try {
      return new StepTargetFrames(
          new DenseFrames(values, batch, steps, channels, new int[batch]),
          width,
          batchMajor(targets.data(), steps, batch, width));
    } catch (IllegalArgumentException e) {
      throw new TensorFolderException(targetsFile + ": " + e.getMessage());
    }
  }

  /** {@code [T][B][W]} values, as {@code [B][T][W]}. */
  private static float[] batchMajor(float[] src, int steps, int batch, int width) {
    float[] out = new float[src.length];
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        System.arraycopy(src, (t * batch + b) * width, out, (b * steps + t) * width, width);
      }
    }
    return out;
  }

  /**
   * Writes any frame source as dense {@code [T][B][N0]} inputs and {@code [B]} labels, {@code
   * [T][B]} labels for one that has per-step labels, or float {@code [T][B][C]} targets for one
   * that has per-step targets.
   */
  public static void write(Path inputsFile, Path labelsFile, FrameSource frames)
      throws IOException {
    int steps = frames.steps();
    int batch = frames.batchSize();
    int channels = frames.channels();
    float[] values = new float[Math.multiplyExact(Math.multiplyExact(steps, batch), channels)];
    int[] active = new int[channels];
    float[] activeValues = new float[channels];
    int[] labels = new int[batch];
    for (int b = 0; b < batch; b++) {
      labels[b] = frames.label(b);
      for (int t = 0; t < steps; t++) {
        int n = frames.fill(t, b, active, activeValues);
        int row = (t * batch + b) * channels;
        for (int i = 0; i < n; i++) {
          values[row + active[i]] = activeValues[i];
        }
      }
    }
    Npy.write(inputsFile, new FloatTensor(new int[] {steps, batch, channels}, values));
    int width = frames.targetWidth();
    if (width > 0) {
      float[] targets = new float[Math.multiplyExact(steps * batch, width)];
      for (int t = 0; t < steps; t++) {
        for (int b = 0; b < batch; b++) {
          for (int c = 0; c < width; c++) {
            targets[(t * batch + b) * width + c] = frames.stepTarget(b, t, c);
          }
        }
      }
      Npy.write(labelsFile, new FloatTensor(new int[] {steps, batch, width}, targets));
      return;
    }
    if (!frames.hasStepLabels()) {
      Npy.write(labelsFile, new IntTensor(new int[] {batch}, labels));
      return;
    }
    int[] stepLabels = new int[steps * batch];
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        stepLabels[t * batch + b] = frames.stepLabel(b, t);
      }
    }
    Npy.write(labelsFile, new IntTensor(new int[] {steps, batch}, stepLabels));
  }
}
