package dev.rewind.spark.internal.train;

import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag;

/**
 * Its parent's partitions, each preferring the executor named for it: how segment k of every
 * sequence goes back, epoch after epoch, to the executor that ran it before. A name is a Spark task
 * location, {@code executor_<host>_<executorId>}; a partition without one keeps its parent's
 * preference. When that executor is gone, Spark's scheduler runs the partition elsewhere without
 * waiting.
 */
final class PinnedPartitions<T> extends RDD<T> {
  private static final long serialVersionUID = 1L;
  private final String[] homes;

  /**
   * @param homes per partition, the executor it should run on, or null
   */
  PinnedPartitions(RDD<T> parent, String[] homes, ClassTag<T> tag) {
    super(parent, tag);
    this.homes = homes.clone();
  }

  /** The task location of the executor this code runs in. */
  static String here() {
    org.apache.spark.storage.BlockManagerId id =
        org.apache.spark.SparkEnv.get().blockManager().blockManagerId();
    return "executor_" + id.host() + "_" + id.executorId();
  }

  @Override
  public Iterator<T> compute(Partition split, TaskContext context) {
    return firstParent(elementClassTag()).iterator(split, context);
  }

  @Override
  public Partition[] getPartitions() {
    return firstParent(elementClassTag()).partitions();
  }

  @Override
  public Seq<String> getPreferredLocations(Partition split) {
    int k = split.index();
    if (k < homes.length && homes[k] != null) {
      return JavaConverters.asScalaBuffer(java.util.List.of(homes[k])).toSeq();
    }
    return firstParent(elementClassTag()).preferredLocations(split);
  }
}
