package dev.rewind.spark.internal.train;

import dev.rewind.spark.internal.data.Chunk;
import dev.rewind.spark.internal.data.SequenceStream;
import dev.rewind.storage.BlobStore;
import dev.rewind.trainer.model.ModelConfig;
import java.io.IOException;
import java.util.Iterator;
import org.apache.spark.TaskContext;

/**
 * One slot's share of one step, computed inside a task: streams the step's sequences in chunk
 * order, sums their gradients at the given parameters (in groups of up to the setup's task batch,
 * see {@link TaskBatches}), and returns the sum with the step's off-chip traffic and time. Its
 * off-chip store lives in the task attempt's key namespace and is closed (which deletes its files)
 * whether the step succeeds or fails.
 */
final class SlotStep {
  private final TaskSetup setup;
  private final ModelConfig config;
  private final long attempt;
  private final int cpus;

  SlotStep(TaskSetup setup, TaskContext context) {
    this.setup = setup;
    this.config = setup.model();
    this.attempt = context == null ? 0 : context.taskAttemptId();
    // The kernels use the cores Spark gave the task (spark.task.cpus), no more.
    this.cpus = context == null ? 1 : Math.max(1, context.cpus());
  }

  /** The summed gradient of {@code chunks} (one step's, in chunk order) at {@code params}. */
  GradientSum sum(Iterator<Chunk> chunks, float[] params) throws IOException {
    long start = System.nanoTime();
    GradientSum sum = new GradientSum(params.length);
    try (BlobStore store = OffChipStores.open(setup.offChip());
        TaskBatches batches =
            new TaskBatches(
                setup.taskBatch(),
                batch ->
                    SequenceGradients.create(
                        config,
                        params,
                        setup.schedule(),
                        store,
                        setup.offChip().tierName(),
                        OffChipStores.calibrationCache(),
                        setup.truncation(),
                        cpus,
                        batch),
                sum)) {
      SequenceStream sequences =
          new SequenceStream(chunks, config.inputSize(), store, setup.run(), attempt);
      long streamingNanos = 0;
      while (sequences.hasNext()) {
        long before = System.nanoTime();
        SequenceStream.Sequence s = sequences.next();
        if (s.chunks() > 1) {
          streamingNanos += System.nanoTime() - before;
        }
        batches.add(s);
      }
      batches.finish();
      // Waiting for the writer to drain is time blocked on I/O too.
      long flushStart = System.nanoTime();
      store.flush();
      long flushNanos = System.nanoTime() - flushStart;
      long bytes = store.metrics().storageIo().bytesWritten();
      sum.addTaskCost(bytes, streamingNanos + flushNanos, System.nanoTime() - start);
    }
    return sum;
  }
}
