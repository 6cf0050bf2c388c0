package dev.rewind.spark.internal.data;

import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.data.StepLabelledFrames;
import dev.rewind.trainer.data.StepTargetFrames;
import java.io.Serializable;

/**
 * What a chunk carries at each of its steps for a per-step loss head: nothing (a sequence head
 * reads the chunk's label), a class label per step ({@code -1}: none), or a target vector of {@code
 * width} per step ({@code targets[t * width + c]}, NaN: none). Kept beside the chunk's shape, not
 * in its frames' blob, so that a chunk read back from the off-chip store finds its supervision on
 * the heap: 4 bytes per step for labels, 4 x width for targets.
 *
 * @param labels one per step, or null
 * @param width the target width C, 0 without targets
 * @param targets steps x width values, or null
 */
public record StepSupervision(int[] labels, int width, float[] targets) implements Serializable {
  /** A chunk of a sequence with one label. */
  public static final StepSupervision NONE = new StepSupervision(null, 0, null);

  public StepSupervision {
    if (labels != null && targets != null) {
      throw new IllegalArgumentException("step supervision: expected labels or targets, not both");
    }
    if ((targets == null) != (width == 0) || width < 0) {
      throw new IllegalArgumentException(
          "step supervision: expected a target width > 0 exactly with targets, got " + width);
    }
  }

  public static StepSupervision labels(int[] labels) {
    return new StepSupervision(labels, 0, null);
  }

  public static StepSupervision targets(int width, float[] targets) {
    return new StepSupervision(null, width, targets);
  }

  /** Whether the chunk carries anything per step. */
  public boolean carried() {
    return labels != null || targets != null;
  }

  /** Throws IllegalArgumentException unless this covers the {@code steps} of the named chunk. */
  void requireSteps(long sequence, int chunk, int steps) {
    long expected = labels != null ? steps : (long) steps * width;
    int got = labels != null ? labels.length : targets != null ? targets.length : 0;
    if (carried() && got != expected) {
      throw new IllegalArgumentException(
          "chunk "
              + chunk
              + " of sequence "
              + sequence
              + ": expected "
              + expected
              + " per-step "
              + (labels != null ? "labels" : "target values")
              + " for its "
              + steps
              + " steps, got "
              + got);
    }
  }

  /** {@code frames} (one chunk's, a batch of one) with this supervision added. */
  FrameSource attachTo(FrameSource frames) {
    if (labels != null) {
      return new StepLabelledFrames(frames, labels);
    }
    if (targets != null) {
      return new StepTargetFrames(frames, width, targets);
    }
    return frames;
  }
}
