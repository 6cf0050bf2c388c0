package dev.rewind.spark.internal.train;

import dev.rewind.spark.data.InputColumns;
import dev.rewind.spark.data.Supervision;
import dev.rewind.spark.internal.data.Chunk;
import dev.rewind.spark.internal.data.RowDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;
import scala.reflect.ClassTag$;

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
  private JavaPairRDD<SegmentKey, Chunk> segmentData;

  private TrainingData(JavaRDD<Chunk> chunks, SequenceTable table) {
    this.chunks = chunks;
    this.table = table;
  }

  /** As {@link #load(Dataset, InputColumns, Supervision, int)} for rows with sequence labels. */
  public static TrainingData load(Dataset<?> dataset, InputColumns columns) {
    return load(dataset, columns, Supervision.LABEL, 0);
  }

  /**
   * Validates, decodes and caches {@code dataset} with the {@code supervision} a loss head reads
   * ({@code outputs}: the model's, the width of targets); runs one job to measure the sequences.
   */
  public static TrainingData load(
      Dataset<?> dataset, InputColumns columns, Supervision supervision, int outputs) {
    columns.validate(dataset.schema(), supervision);
    JavaRDD<Chunk> chunks = decode(dataset, columns, supervision, outputs);
    chunks.persist(StorageLevel.MEMORY_AND_DISK());
    // Per sequence: total steps and number of rows.
    List<Tuple2<Long, long[]>> lengths =
        chunks
            .mapToPair(c -> new Tuple2<>(c.sequence(), new long[] {c.steps(), 1}))
            .reduceByKey((a, b) -> new long[] {a[0] + b[0], a[1] + b[1]})
            .collect();
    long[] ids = new long[lengths.size()];
    long[] steps = new long[lengths.size()];
    for (int i = 0; i < ids.length; i++) {
      long[] v = lengths.get(i)._2();
      if (!columns.chunked() && v[1] > 1) {
        chunks.unpersist(false);
        throw new IllegalArgumentException(
            "training rows: "
                + v[1]
                + " rows have the same frames and label (row hash "
                + lengths.get(i)._1()
                + "); without a sequence id column each row is one sequence named by its"
                + " content, so drop the duplicates or give the rows a sequence id column"
                + " (setSequenceIdCol)");
      }
      ids[i] = lengths.get(i)._1();
      steps[i] = v[0];
    }
    return new TrainingData(chunks, SequenceTable.of(ids, steps));
  }

  /**
   * The rows of {@code dataset} as chunks, one per row (not cached). Rows of a table without a
   * sequence id column are named by a 63-bit hash of their content ({@code xxhash64} of the
   * selected columns), so that identity and order come from the data, not from the order in which a
   * shuffle delivered the rows.
   */
  public static JavaRDD<Chunk> decode(
      Dataset<?> dataset, InputColumns columns, Supervision supervision, int outputs) {
    Column[] cols = columns.selected(supervision).stream().map(dataset::col).toArray(Column[]::new);
    RowDecoder decoder = new RowDecoder(columns, supervision, outputs);
    if (columns.chunked()) {
      return dataset.select(cols).toJavaRDD().map(r -> decoder.decode(r, -1));
    }
    Column[] withHash = java.util.Arrays.copyOf(cols, cols.length + 1);
    withHash[cols.length] = functions.xxhash64(cols);
    int hash = cols.length;
    return dataset
        .select(withHash)
        .toJavaRDD()
        .map(r -> decoder.decode(r, r.getLong(hash) & Long.MAX_VALUE));
  }

  /** Chunk 0 of sequence {@code id} (one job over the cached chunks). */
  Chunk firstChunk(long id) {
    return chunks.filter(c -> c.sequence() == id && c.index() == 0).first();
  }

  /** The Spark context the chunks live in. */
  public org.apache.spark.SparkContext context() {
    return chunks.context();
  }

  public SequenceTable table() {
    return table;
  }

  /**
   * The chunks laid out for {@code plan}: partition = slot, sorted by (step, sequence, chunk).
   *
   * @param cached whether more than one job reads them: they are then kept on the executors; a
   *     single job reads its partitions straight from the shuffle, without the cost of storing them
   */
  public JavaPairRDD<ChunkKey, Chunk> layOut(EpochPlan plan, boolean cached) {
    releaseEpoch();
    Broadcast<EpochPlan> b = JavaSparkContext.fromSparkContext(chunks.context()).broadcast(plan);
    epochPlan = b;
    epochData =
        chunks
            .mapToPair(c -> new Tuple2<>(b.value().keyOf(c.sequence(), c.index()), c))
            .repartitionAndSortWithinPartitions(new SlotPartitioner(plan.slots()));
    if (cached) {
      epochData.persist(StorageLevel.MEMORY_AND_DISK());
    }
    return epochData;
  }

  /** Per sequence id, the steps of its chunks in index order (one job over the cached chunks). */
  public Map<Long, int[]> chunkSteps() {
    Map<Long, int[]> steps = new HashMap<>();
    for (Tuple2<Long, int[]> c :
        chunks
            .mapToPair(c -> new Tuple2<>(c.sequence(), new int[] {c.index(), c.steps()}))
            .collect()) {
      steps.merge(c._1(), growTo(new int[0], c._2()), (a, b) -> growTo(a, c._2()));
    }
    return steps;
  }

  private static int[] growTo(int[] steps, int[] chunk) {
    int[] out = steps.length > chunk[0] ? steps : Arrays.copyOf(steps, chunk[0] + 1);
    out[chunk[0]] = chunk[1];
    return out;
  }

  /**
   * The chunks laid out for a segment-parallel epoch: partition = segment, sorted by (step,
   * micro-batch, sequence, chunk); a chunk straddling a segment bound is in both segments. Segment
   * k is computed and cached on {@code homes[k]} where that executor is alive (a task location;
   * null: where Spark's scheduler puts it).
   */
  public JavaPairRDD<SegmentKey, Chunk> layOutSegments(
      Broadcast<SegmentPlan> plan, String[] homes) {
    releaseEpoch();
    JavaPairRDD<SegmentKey, Chunk> sorted =
        chunks
            .flatMapToPair(
                c -> {
                  List<Tuple2<SegmentKey, Chunk>> out = new ArrayList<>(1);
                  for (SegmentKey key : plan.value().keysOf(c)) {
                    out.add(new Tuple2<>(key, c));
                  }
                  return out.iterator();
                })
            .repartitionAndSortWithinPartitions(new SlotPartitioner(plan.value().segments()));
    segmentData =
        new JavaPairRDD<SegmentKey, Chunk>(
                new PinnedPartitions<>(sorted.rdd(), homes, sorted.classTag()),
                ClassTag$.MODULE$.apply(SegmentKey.class),
                ClassTag$.MODULE$.apply(Chunk.class))
            .persist(StorageLevel.MEMORY_AND_DISK());
    return segmentData;
  }

  private void releaseEpoch() {
    if (epochData != null) {
      epochData.unpersist(false);
      epochPlan.destroy();
      epochData = null;
      epochPlan = null;
    }
    if (segmentData != null) {
      segmentData.unpersist(false);
      segmentData = null;
    }
  }

  /** Drops the cached chunks and epoch layout. */
  public void release() {
    releaseEpoch();
    chunks.unpersist(false);
  }
}
