package dev.rewind.spark.internal.train;

import dev.rewind.trainer.data.FrameSource;
import java.io.IOException;

/**
 * The one seam between the Spark layer and the trainer: the loss and summed gradient of a batch of
 * sequences under fixed parameters, run with a checkpoint schedule whose off-chip tier is the store
 * given at creation. Instances are created per task by {@link SequenceGradients#create}, used by
 * one thread, reuse their buffers from one call to the next, and are closed by their creator.
 */
interface SequenceGradient extends AutoCloseable {
  SequenceResult compute(FrameSource frames) throws IOException;

  @Override
  void close();
}
