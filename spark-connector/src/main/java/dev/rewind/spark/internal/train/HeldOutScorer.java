package dev.rewind.spark.internal.train;

import dev.rewind.spark.data.InputColumns;
import dev.rewind.spark.internal.data.BatchedFrames;
import dev.rewind.spark.internal.data.Chunk;
import dev.rewind.spark.internal.data.SequenceStream;
import dev.rewind.storage.BlobStore;
import dev.rewind.trainer.bptt.LossResult;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import scala.Tuple2;

/**
 * Scores parameters on a held-out set after each epoch: the set is decoded, cached and spread over
 * the task slots once per fit, and each score is one job of forward passes, whole sequences of
 * equal length batched up to {@code batch} per pass. The loss is the mean softmax cross-entropy of
 * the readout's logits, as {@code Evaluation} computes it from a model's probabilities. Call {@link
 * #close()} when the fit ends.
 */
public final class HeldOutScorer implements DistributedTrainer.EpochScorer, AutoCloseable {
  private final TrainingData data;
  private final JavaPairRDD<ChunkKey, Chunk> laidOut;
  private final String modelJson;
  private final int batch;

  private HeldOutScorer(
      TrainingData data, JavaPairRDD<ChunkKey, Chunk> laidOut, String modelJson, int batch) {
    this.data = data;
    this.laidOut = laidOut;
    this.modelJson = modelJson;
    this.batch = batch;
  }

  /**
   * Decodes {@code dataset} (labelled, in {@code columns}) for scoring {@code config} with {@code
   * slots} tasks and up to {@code batch} sequences per forward pass; runs the jobs that measure and
   * lay out the sequences.
   */
  public static HeldOutScorer load(
      Dataset<?> dataset, InputColumns columns, ModelConfig config, int slots, int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("held-out batch: expected >= 1, got " + batch);
    }
    TrainingData data = TrainingData.load(dataset, columns);
    int n = data.table().size();
    try {
      if (n == 0) {
        throw new IllegalArgumentException("validation set: expected labelled sequences, got none");
      }
      data.table().requireLossWindow(config.loss(), "validation rows");
    } catch (IllegalArgumentException e) {
      data.release();
      throw e;
    }
    EpochPlan plan = EpochPlan.create(data.table(), 0, 0, n, slots);
    return new HeldOutScorer(data, data.layOut(plan, true), config.toJson(), batch);
  }

  @Override
  public double[] score(float[] parameters) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(laidOut.context());
    Broadcast<float[]> broadcast = sc.broadcast(parameters);
    try {
      double[] total =
          laidOut
              .mapPartitions(new ScoreTask(modelJson, batch, broadcast))
              .fold(new double[3], HeldOutScorer::plus);
      return new double[] {total[0] / total[2], total[1] / total[2]};
    } finally {
      broadcast.destroy();
    }
  }

  @Override
  public void close() {
    data.release();
  }

  /**
   * Summed loss, correct predictions and sequences of some tasks as {@code double[3]} (counts are
   * exact below 2^53), a type the Kryo registration already knows.
   */
  private static double[] plus(double[] a, double[] b) {
    return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
  }

  /** One slot's forward passes. */
  private static final class ScoreTask
      implements FlatMapFunction<Iterator<Tuple2<ChunkKey, Chunk>>, double[]> {
    private static final long serialVersionUID = 1L;
    private final String modelJson;
    private final int batch;
    private final Broadcast<float[]> parameters;

    ScoreTask(String modelJson, int batch, Broadcast<float[]> parameters) {
      this.modelJson = modelJson;
      this.batch = batch;
      this.parameters = parameters;
    }

    @Override
    public Iterator<double[]> call(Iterator<Tuple2<ChunkKey, Chunk>> rows) throws Exception {
      ModelConfig config = ModelConfig.fromJson(modelJson);
      Parameters p = Parameters.wrap(config, parameters.value());
      Map<Integer, StoreAllBptt> passes = new HashMap<>();
      double[] score = new double[3];
      LengthGroups groups =
          new LengthGroups(
              batch,
              group -> {
                double[] passed = forward(config, p, passes, group);
                for (int k = 0; k < score.length; k++) {
                  score[k] += passed[k];
                }
              });
      TaskContext context = TaskContext.get();
      try (BlobStore store = OffChipStores.open(OffChip.EXECUTOR_LOCAL)) {
        SequenceStream sequences =
            new SequenceStream(
                new ChunkValues(rows), config.inputSize(), store, "score", context.taskAttemptId());
        while (sequences.hasNext()) {
          groups.add(sequences.next().frames());
        }
        groups.finish();
      }
      return List.of(score).iterator();
    }

    private static double[] forward(
        ModelConfig config,
        Parameters p,
        Map<Integer, StoreAllBptt> passes,
        List<FrameSource> group) {
      int n = group.size();
      // On the task's cores only: a pass on every core of the machine in each of the executor's
      // concurrent tasks oversubscribes it (measured: scoring took 1.8 s of a 2.8 s local[2]
      // epoch, against 0.2 s of 2.0 s in local[1])
      int threads = TaskContext.get().cpus();
      StoreAllBptt pass = passes.computeIfAbsent(n, b -> new StoreAllBptt(config, b, 0, threads));
      LossResult r = pass.evaluate(p, n == 1 ? group.get(0) : new BatchedFrames(group));
      return new double[] {r.loss() * n, r.correct(), n};
    }
  }
}
