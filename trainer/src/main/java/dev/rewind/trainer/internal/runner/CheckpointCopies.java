package dev.rewind.trainer.internal.runner;

import dev.rewind.storage.BlobKey;
import dev.rewind.storage.tier.BlobBundleWriter;

/**
 * Where a pass copies the states its forward sweep saves on the slow tier: into {@code bundle}
 * under {@code <run>/a<attempt>/b<batch>/state.dense|state.spikes/<offset + step>}, keys that
 * another process can name from these values and the steps, so that it can read them back once this
 * one is gone. A state freed during the forward sweep stays in the bundle, not among the steps the
 * pass reports ({@link ScheduleRunner.Pass#copiedSteps}).
 *
 * @param offset added to a pass's steps: the first step of the segment it runs
 */
public record CheckpointCopies(
    BlobBundleWriter bundle, String run, long attempt, long batch, long offset) {
  public CheckpointCopies {
    if (bundle == null) {
      throw new IllegalArgumentException("checkpoint copies: expected a bundle, got null");
    }
    new BlobKey(run, attempt, batch, offset, SlowStates.DENSE);
  }

  /** The key of {@code tensor} of the state at {@code step} of the pass (its own time). */
  BlobKey key(long step, String tensor) {
    return new BlobKey(run, attempt, batch, offset + step, tensor);
  }
}
