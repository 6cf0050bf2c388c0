package dev.rewind.spark.internal.train;

import dev.rewind.spark.internal.data.Chunk;
import dev.rewind.spark.internal.data.SequenceStream;
import dev.rewind.storage.BlobStore;
import dev.rewind.trainer.model.ModelConfig;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * The task of one distributed step: streams its slot's sequences of step {@code step} in chunk
 * order, computes their summed gradient under the broadcast parameters (in groups of up to the
 * setup's task batch, see {@link TaskBatches}), and returns one {@link GradientSum}. Its off-chip
 * store lives in the task attempt's key namespace and is closed (which deletes its files) whether
 * the task succeeds or fails.
 */
final class StepTask implements FlatMapFunction<Iterator<Tuple2<ChunkKey, Chunk>>, GradientSum> {
  private static final long serialVersionUID = 1L;
  private final TaskSetup setup;
  private final int step;
  private final Broadcast<float[]> parameters;

  public StepTask(TaskSetup setup, int step, Broadcast<float[]> parameters) {
    this.setup = setup;
    this.step = step;
    this.parameters = parameters;
  }

  @Override
  public Iterator<GradientSum> call(Iterator<Tuple2<ChunkKey, Chunk>> rows) throws Exception {
    long start = System.nanoTime();
    TaskContext context = TaskContext.get();
    long attempt = context == null ? 0 : context.taskAttemptId();
    // The kernels use the cores Spark gave the task (spark.task.cpus), no more.
    int cpus = context == null ? 1 : Math.max(1, context.cpus());
    ModelConfig config = setup.model();
    float[] params = parameters.value();
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
          new SequenceStream(
              new StepChunks(rows, step), config.inputSize(), store, setup.run(), attempt);
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
    return List.of(sum).iterator();
  }

  /** The chunks of one step from a slot sorted by (step, sequence, chunk). */
  private static final class StepChunks implements Iterator<Chunk> {
    private final Iterator<Tuple2<ChunkKey, Chunk>> rows;
    private final int step;
    private Chunk next;

    StepChunks(Iterator<Tuple2<ChunkKey, Chunk>> rows, int step) {
      this.rows = rows;
      this.step = step;
      advance();
    }

    private void advance() {
      next = null;
      while (rows.hasNext()) {
        Tuple2<ChunkKey, Chunk> row = rows.next();
        int s = row._1().step();
        if (s == step) {
          next = row._2();
          return;
        }
        if (s > step) {
          return;
        }
      }
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public Chunk next() {
      if (next == null) {
        throw new NoSuchElementException("no more chunks in step " + step);
      }
      Chunk c = next;
      advance();
      return c;
    }
  }
}
