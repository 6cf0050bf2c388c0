package dev.rewind.trainer.data;

/**
 * A batch of {@link #batchSize()} labelled sequences of {@link #steps()} frames over {@link
 * #channels()} input channels, read by the engine one (step, row) at a time. Implementations are
 * validated at construction (finite values, channels and labels in range) and immutable.
 */
public interface FrameSource {
  int batchSize();

  int steps();

  int channels();

  /** The label of sequence {@code b}, >= 0 (its upper bound is checked against the model). */
  int label(int b);

  /** Whether the sequences carry a class label at every step ({@link #stepLabel}). */
  default boolean hasStepLabels() {
    return false;
  }

  /**
   * The class label of sequence {@code b} at step {@code t}, or -1 where the step has none (a
   * per-step loss head ignores it). Only for sources that {@link #hasStepLabels()}.
   */
  default int stepLabel(int b, int t) {
    throw new IllegalStateException(
        "per-step label: these frames carry one label per sequence, not one per step");
  }

  /**
   * The width C of the real target vector the sequences carry at every step ({@link #stepTarget}),
   * for a regression loss head; 0 where they carry none.
   */
  default int targetWidth() {
    return 0;
  }

  /**
   * Component {@code c} of sequence {@code b}'s target vector at step {@code t}: finite, or NaN
   * where that component has no target. Only for sources with a {@link #targetWidth()}.
   */
  default float stepTarget(int b, int t, int c) {
    throw new IllegalStateException(
        "per-step target: these frames carry one label per sequence, not a target at every step");
  }

  /**
   * Writes the non-zero channels of sequence {@code b} at step {@code t} in strictly ascending
   * order into {@code channels} and their values into {@code values} and returns how many there
   * are. Both arrays must hold {@link #channels()} entries. Must not allocate.
   */
  int fill(int t, int b, int[] channels, float[] values);

  /** Throws IllegalArgumentException unless step {@code t} of sequence {@code b} is in range. */
  static void checkFrameIndex(FrameSource source, int t, int b) {
    if (t < 0 || t >= source.steps() || b < 0 || b >= source.batchSize()) {
      throw new IllegalArgumentException(
          "frame: expected t in [0, "
              + source.steps()
              + ") and b in [0, "
              + source.batchSize()
              + "), got "
              + t
              + ", "
              + b);
    }
  }
}
