package dev.rewind.spark.train;

import dev.rewind.storage.BlobStore;
import dev.rewind.trainer.data.FrameSource;

/**
 * The one seam between the Spark layer and the trainer: the loss and summed gradient of a batch of
 * sequences under fixed parameters, run with a schedule whose off-chip tier is {@code offChip}.
 * Instances are created per task by {@link SequenceGradients#create}, used by one thread, and may
 * reuse their buffers from one call to the next.
 */
public interface SequenceGradient {
  SequenceResult compute(FrameSource frames, BlobStore offChip);
}
