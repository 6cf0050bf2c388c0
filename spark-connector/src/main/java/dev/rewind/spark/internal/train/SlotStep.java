package dev.rewind.spark.internal.train;

import dev.rewind.spark.internal.data.Chunk;
import dev.rewind.spark.internal.data.SequenceStream;
import dev.rewind.storage.BlobStore;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.ModelConfig;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.spark.TaskContext;

/**
 * One slot's shares of steps, computed inside a task, one step after another: streams a step's
 * sequences in chunk order, sums their gradients at the step's parameters (in groups of up to the
 * setup's task batch, see {@link TaskBatches}), and returns the sum with the step's off-chip
 * traffic and time. The task attempt's off-chip store and the gradient functions (their trainers,
 * plans and calibration) serve every step of the task: the parameters are copied into the one
 * buffer they read. A step removes the input chunks it spilled when it ends; {@link #close} removes
 * the rest of the store's files, whether the task succeeds or fails.
 */
final class SlotStep implements AutoCloseable {
  private final TaskSetup setup;
  private final ModelConfig config;
  private final long attempt;
  private final int cpus;
  private final BlobStore store;
  private final Map<Integer, SequenceGradient> gradients = new HashMap<>();
  private float[] parameters;

  SlotStep(TaskSetup setup, TaskContext context) throws IOException {
    this.setup = setup;
    this.config = setup.model();
    this.attempt = context == null ? 0 : context.taskAttemptId();
    // The kernels use the cores Spark gave the task (spark.task.cpus), no more.
    this.cpus = context == null ? 1 : Math.max(1, context.cpus());
    this.store = OffChipStores.open(setup.offChip());
  }

  /** The summed gradient of {@code chunks} (one step's, in chunk order) at {@code params}. */
  GradientSum sum(Iterator<Chunk> chunks, float[] params) throws IOException {
    long start = System.nanoTime();
    if (parameters == null) {
      parameters = params.clone();
    } else {
      System.arraycopy(params, 0, parameters, 0, parameters.length);
    }
    long bytesBefore = store.metrics().storageIo().bytesWritten();
    GradientSum sum = new GradientSum(params.length);
    SequenceStream sequences =
        new SequenceStream(chunks, config.inputSize(), store, setup.run(), attempt);
    try (TaskBatches batches = new TaskBatches(setup.taskBatch(), this::gradient, sum)) {
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
      long bytes = store.metrics().storageIo().bytesWritten() - bytesBefore;
      sum.addTaskCost(bytes, streamingNanos + flushNanos, System.nanoTime() - start);
    } finally {
      sequences.deleteSpilled();
    }
    // Deletes are written behind too: the step's spills are gone when its share is reported.
    store.flush();
    return sum;
  }

  /**
   * The task's gradient function for batches of {@code batch}, created on first use; the view
   * handed out does not close it, since it serves the task's later steps too.
   */
  private SequenceGradient gradient(int batch) {
    SequenceGradient g =
        gradients.computeIfAbsent(
            batch,
            b ->
                SequenceGradients.create(
                    config,
                    parameters,
                    setup.schedule(),
                    store,
                    setup.offChip().tierName(),
                    OffChipStores.calibrationCache(),
                    setup.truncation(),
                    cpus,
                    b));
    return new SequenceGradient() {
      @Override
      public SequenceResult compute(FrameSource frames) throws IOException {
        return g.compute(frames);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public void close() throws IOException {
    try {
      for (SequenceGradient g : gradients.values()) {
        g.close();
      }
    } finally {
      store.close();
    }
  }
}
