package dev.rewind.spark.train;

import dev.rewind.spark.data.Chunk;
import dev.rewind.spark.data.InputColumns;
import dev.rewind.spark.data.RowDecoder;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Training sequences read from a DataFrame: its rows decoded into chunks (cached), the table of
 * sequence lengths, and per epoch the chunks laid out by an {@link EpochPlan}. The schema is
 * checked before any job. Call {@link #release()} when done.
 */
public final class TrainingData {
  private final JavaRDD<Chunk> chunks;
  private final SequenceTable table;
  private JavaPairRDD<ChunkKey, Chunk> epochData;
  private Broadcast<EpochPlan> epochPlan;

  private TrainingData(JavaRDD<Chunk> chunks, SequenceTable table) {
    this.chunks = chunks;
    this.table = table;
  }

  /** Validates, decodes and caches {@code dataset}; runs one job to measure the sequences. */
  public static TrainingData load(Dataset<?> dataset, InputColumns columns) {
    columns.validate(dataset.schema(), true);
    JavaRDD<Chunk> chunks = decode(dataset, columns, true);
    chunks.persist(StorageLevel.MEMORY_AND_DISK());
    List<Tuple2<Long, Long>> lengths =
        chunks
            .mapToPair(c -> new Tuple2<>(c.sequence(), (long) c.steps()))
            .reduceByKey(Long::sum)
            .collect();
    long[] ids = new long[lengths.size()];
    long[] steps = new long[lengths.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = lengths.get(i)._1();
      steps[i] = lengths.get(i)._2();
    }
    return new TrainingData(chunks, SequenceTable.of(ids, steps));
  }

  /** The rows of {@code dataset} as chunks, one per row (not cached). */
  public static JavaRDD<Chunk> decode(Dataset<?> dataset, InputColumns columns, boolean withLabel) {
    Column[] cols = columns.selected(withLabel).stream().map(dataset::col).toArray(Column[]::new);
    JavaRDD<Row> rows = dataset.select(cols).toJavaRDD();
    RowDecoder decoder = new RowDecoder(columns, withLabel);
    if (columns.chunked()) {
      return rows.map(r -> decoder.decode(r, -1));
    }
    return rows.zipWithIndex().map(t -> decoder.decode(t._1(), t._2()));
  }

  public SequenceTable table() {
    return table;
  }

  /** The chunks laid out for {@code plan}: partition = slot, sorted by (step, sequence, chunk). */
  public JavaPairRDD<ChunkKey, Chunk> layOut(EpochPlan plan) {
    releaseEpoch();
    Broadcast<EpochPlan> b = JavaSparkContext.fromSparkContext(chunks.context()).broadcast(plan);
    epochPlan = b;
    epochData =
        chunks
            .mapToPair(c -> new Tuple2<>(b.value().keyOf(c.sequence(), c.index()), c))
            .repartitionAndSortWithinPartitions(new SlotPartitioner(plan.slots()))
            .persist(StorageLevel.MEMORY_AND_DISK());
    return epochData;
  }

  private void releaseEpoch() {
    if (epochData != null) {
      epochData.unpersist(false);
      epochPlan.destroy();
      epochData = null;
      epochPlan = null;
    }
  }

  /** Drops the cached chunks and epoch layout. */
  public void release() {
    releaseEpoch();
    chunks.unpersist(false);
  }
}
