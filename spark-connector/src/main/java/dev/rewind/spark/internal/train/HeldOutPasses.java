package dev.rewind.spark.internal.train;

import dev.rewind.spark.internal.data.BatchedFrames;
import dev.rewind.spark.internal.data.Chunk;
import dev.rewind.spark.internal.data.SequenceStream;
import dev.rewind.storage.BlobStore;
import dev.rewind.trainer.bptt.LossResult;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.spark.TaskContext;
import scala.Tuple2;

/**
 * The forward passes that score one slot's held-out sequences inside a task: whole sequences of
 * equal length batched up to {@code batch} per pass, on the task's cores. Serves the held-out job
 * of {@link HeldOutScorer} and the last stage of an epoch's multi-step job alike.
 */
final class HeldOutPasses implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String modelJson;
  private final int batch;

  HeldOutPasses(ModelConfig config, int batch) {
    this.modelJson = config.toJson();
    this.batch = batch;
  }

  /**
   * The summed loss, the correct predictions, what was scored and the number of the sequences in
   * {@code rows} (one slot's laid-out chunks) at {@code parameters}, as a sum without a gradient.
   */
  GradientSum score(Iterator<Tuple2<ChunkKey, Chunk>> rows, float[] parameters) throws IOException {
    ModelConfig config = ModelConfig.fromJson(modelJson);
    Parameters p = Parameters.wrap(config, parameters);
    // On the task's cores only: a pass on every core of the machine in each of the executor's
    // concurrent tasks oversubscribes it (measured: scoring took 1.8 s of a 2.8 s local[2]
    // epoch, against 0.2 s of 2.0 s in local[1])
    TaskContext context = TaskContext.get();
    int threads = Math.max(1, context.cpus());
    Map<Integer, StoreAllBptt> passes = new HashMap<>();
    GradientSum score = GradientSum.none();
    LengthGroups groups =
        new LengthGroups(
            batch,
            group -> {
              int n = group.size();
              StoreAllBptt pass =
                  passes.computeIfAbsent(n, b -> new StoreAllBptt(config, b, 0, threads));
              LossResult r = pass.evaluate(p, n == 1 ? group.get(0) : new BatchedFrames(group));
              score.addScore(r.loss() * r.scored(), r.correct(), n, r.scored());
            });
    try (BlobStore store = OffChipStores.open(OffChip.EXECUTOR_LOCAL)) {
      SequenceStream sequences =
          new SequenceStream(
              new ChunkValues(rows), config.inputSize(), store, "score", context.taskAttemptId());
      while (sequences.hasNext()) {
        groups.add(sequences.next().frames());
      }
      groups.finish();
    }
    return score;
  }
}
