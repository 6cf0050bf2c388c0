package dev.rewind.spark.internal.train;

import dev.rewind.spark.data.InputColumns;
import dev.rewind.spark.data.Supervision;
import dev.rewind.spark.internal.data.Chunk;
import dev.rewind.trainer.model.ModelConfig;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import scala.Tuple2;

/**
 * Scores parameters on a held-out set after each epoch: the set is decoded, cached and spread over
 * the task slots once per fit, and each score is the forward passes of {@link HeldOutPasses}, in a
 * job of their own ({@link #score}) or as the last stage of the epoch's multi-step job ({@link
 * MultiStepEpochs}). The loss is the mean softmax cross-entropy of the readout's logits, as {@code
 * Evaluation} computes it from a model's probabilities. Call {@link #close()} when the fit ends.
 */
public final class HeldOutScorer implements DistributedTrainer.EpochScorer, AutoCloseable {
  private final TrainingData data;
  private final JavaPairRDD<ChunkKey, Chunk> laidOut;
  private final HeldOutPasses passes;

  private HeldOutScorer(
      TrainingData data, JavaPairRDD<ChunkKey, Chunk> laidOut, HeldOutPasses passes) {
    this.data = data;
    this.laidOut = laidOut;
    this.passes = passes;
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
    TrainingData data =
        TrainingData.load(dataset, columns, Supervision.of(config.loss()), config.classes());
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
    return new HeldOutScorer(data, data.layOut(plan, true), new HeldOutPasses(config, batch));
  }

  /** How many sequences are scored. */
  public long sequences() {
    return data.table().size();
  }

  /** The held-out chunks, partition = slot, cached. */
  JavaPairRDD<ChunkKey, Chunk> laidOut() {
    return laidOut;
  }

  /** What a task runs to score its slot. */
  HeldOutPasses passes() {
    return passes;
  }

  /** Mean loss and accuracy of the slots' merged score, as {@link #score} returns them. */
  static double[] mean(GradientSum score) {
    return new double[] {score.meanLoss(), score.accuracy()};
  }

  @Override
  public double[] score(float[] parameters) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(laidOut.context());
    Broadcast<float[]> broadcast = sc.broadcast(parameters);
    try {
      // collect keeps partition (slot) order, as the epoch's job merges its slots' scores
      return mean(
          GradientSum.inOrder(laidOut.mapPartitions(new ScoreTask(passes, broadcast)).collect()));
    } finally {
      broadcast.destroy();
    }
  }

  @Override
  public void close() {
    data.release();
  }

  /** One slot's forward passes, in a job of their own. */
  private static final class ScoreTask
      implements FlatMapFunction<Iterator<Tuple2<ChunkKey, Chunk>>, GradientSum> {
    private static final long serialVersionUID = 1L;
    private final HeldOutPasses passes;
    private final Broadcast<float[]> parameters;

    ScoreTask(HeldOutPasses passes, Broadcast<float[]> parameters) {
      this.passes = passes;
      this.parameters = parameters;
    }

    @Override
    public Iterator<GradientSum> call(Iterator<Tuple2<ChunkKey, Chunk>> rows) throws Exception {
      return List.of(passes.score(rows, parameters.value())).iterator();
    }
  }
}
