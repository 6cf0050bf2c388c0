package dev.rewind.trainer.petra;

import dev.rewind.trainer.data.FrameSource;

/** The training data as a sequence of micro-batches; must be deterministic and thread-safe. */
@FunctionalInterface
public interface MicroBatchSource {
  /** Micro-batch number {@code index} (0, 1, ...). */
  FrameSource batch(long index);
}
