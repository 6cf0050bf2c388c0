package dev.rewind.trainer.checkpoint;

import dev.rewind.storage.BlobKey;
import dev.rewind.trainer.internal.runner.SlowStates;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The checkpoints a paused segment's forward sweep left on the slow tier, copied into a bundle that
 * outlives the process ({@link dev.rewind.storage.tier.BlobBundle}, on a Hadoop URI): their name
 * and their steps in the sequence's time. {@link PausedSegment#copies} returns it; {@link
 * SequenceTrainer#gradient(dev.rewind.trainer.model.Parameters,
 * dev.rewind.trainer.data.FrameSource, SegmentBoundary, dev.rewind.storage.tier.BlobBundle,
 * CopiedCheckpoints)} runs the segment's backward from the copies once that process is gone, so
 * that only the stretches between them are computed again, not the forward sweep. Small: a name and
 * one long per checkpoint.
 *
 * @param name where the copies are, in the store
 * @param steps the steps of the copied states, increasing
 */
public record CopiedCheckpoints(Name name, long[] steps) implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The names of a segment's copies: blobs keyed {@code <run>/a<attempt>/b<batch>/...}.
   *
   * @param run a name of {@code [A-Za-z0-9_.-]}, 1 to 128 characters
   * @param attempt a number >= 0 (for instance the step)
   * @param batch a number >= 0 (for instance the segment and micro-batch)
   */
  public record Name(String run, long attempt, long batch) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Name {
      new BlobKey(run, attempt, batch, 0, SlowStates.DENSE);
    }
  }

  public CopiedCheckpoints {
    if (name == null || steps == null) {
      throw new IllegalArgumentException("copied checkpoints: expected a name and steps");
    }
    steps = steps.clone();
    for (int i = 1; i < steps.length; i++) {
      if (steps[i] <= steps[i - 1]) {
        throw new IllegalArgumentException(
            "copied checkpoints: expected increasing steps, got " + Arrays.toString(steps));
      }
    }
  }

  @Override
  public long[] steps() {
    return steps.clone();
  }

  /** The keys of the dense part and of the spikes of the state at {@code step}. */
  BlobKey[] keys(long step) {
    return new BlobKey[] {
      new BlobKey(name.run(), name.attempt(), name.batch(), step, SlowStates.DENSE),
      new BlobKey(name.run(), name.attempt(), name.batch(), step, SlowStates.SPIKES)
    };
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CopiedCheckpoints c
        && name.equals(c.name)
        && Arrays.equals(steps, c.steps);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(steps);
  }

  @Override
  public String toString() {
    return "CopiedCheckpoints[" + name + ", steps=" + Arrays.toString(steps) + "]";
  }
}
