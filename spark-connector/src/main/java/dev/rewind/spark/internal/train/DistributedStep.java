package dev.rewind.spark.internal.train;

import dev.rewind.spark.internal.data.Chunk;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * One synchronous data-parallel step, as MLlib runs one: broadcast the parameters, let every task
 * sum the gradients of its share of the mini-batch, {@code treeAggregate} the sums to the driver,
 * destroy the broadcast. Failed task attempts contribute nothing: only the result of the attempt
 * that succeeds reaches the aggregate.
 */
public final class DistributedStep {
  private static final int TREE_DEPTH = 2;
  private final TaskSetup setup;

  public DistributedStep(TaskSetup setup) {
    this.setup = setup;
  }

  /** The summed gradient of step {@code step} of {@code epochData} at {@code parameters}. */
  public GradientSum run(JavaPairRDD<ChunkKey, Chunk> epochData, int step, float[] parameters) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(epochData.context());
    Broadcast<float[]> broadcast = sc.broadcast(parameters);
    try {
      // The zero goes with every task: a sum of no size yet, not one of the model's size.
      return epochData
          .mapPartitions(new StepTask(setup, step, broadcast))
          .treeAggregate(GradientSum.none(), GradientSum::merge, GradientSum::merge, TREE_DEPTH);
    } finally {
      broadcast.destroy();
    }
  }
}
