package dev.rewind.trainer.petra;

import java.util.Arrays;

/**
 * A real-valued sequence batch of shape [steps][batch][width], stored row-major in one float array:
 * entry (t, b, i) is at {@code (t * batch + b) * width + i}. The array is owned by the tensor's
 * creator; callers that keep a tensor must not write into another's data.
 */
record SequenceTensor(int steps, int batch, int width, float[] data) {

  public SequenceTensor {
    if (steps <= 0 || batch <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "shape: expected steps, batch, width > 0, got " + steps + ", " + batch + ", " + width);
    }
    long size = (long) steps * batch * width;
    if (data.length != size) {
      throw new IllegalArgumentException(
          "data: expected "
              + size
              + " floats for shape ["
              + steps
              + "]["
              + batch
              + "]["
              + width
              + "], got "
              + data.length);
    }
  }

  /** A zero tensor of the given shape. */
  public static SequenceTensor zeros(int steps, int batch, int width) {
    return new SequenceTensor(steps, batch, width, new float[steps * batch * width]);
  }

  /** Offset of row (t, b) in {@link #data()}. */
  public int row(int t, int b) {
    return (t * batch + b) * width;
  }

  /** Bytes of the float data. */
  public long bytes() {
    return 4L * data.length;
  }

  /** A deep copy. */
  public SequenceTensor copy() {
    return new SequenceTensor(steps, batch, width, data.clone());
  }

  /** Throws unless {@code other} has the same shape; {@code name} names it in the message. */
  public void requireSameShape(String name, SequenceTensor other) {
    if (other.steps != steps || other.batch != batch || other.width != width) {
      throw new IllegalArgumentException(
          name
              + ": expected shape ["
              + steps
              + "]["
              + batch
              + "]["
              + width
              + "], got ["
              + other.steps
              + "]["
              + other.batch
              + "]["
              + other.width
              + "]");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SequenceTensor t
        && t.steps == steps
        && t.batch == batch
        && t.width == width
        && Arrays.equals(t.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(new int[] {steps, batch, width}) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "SequenceTensor[" + steps + "][" + batch + "][" + width + "]";
  }
}
