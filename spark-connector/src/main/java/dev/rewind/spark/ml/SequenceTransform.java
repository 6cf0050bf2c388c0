package dev.rewind.spark.ml;

import dev.rewind.spark.data.InputColumns;
import dev.rewind.spark.data.Supervision;
import dev.rewind.spark.internal.data.Chunk;
import dev.rewind.spark.internal.data.SequenceStream;
import dev.rewind.spark.internal.train.ChunkKey;
import dev.rewind.spark.internal.train.ChunkValues;
import dev.rewind.spark.internal.train.OffChip;
import dev.rewind.spark.internal.train.OffChipStores;
import dev.rewind.spark.internal.train.SlotPartitioner;
import dev.rewind.spark.internal.train.TrainingData;
import dev.rewind.storage.BlobStore;
import dev.rewind.trainer.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Predicts sequences that span many rows: rows are sent to a partition by sequence id, sorted by
 * (sequence, chunk) and streamed through {@link SequenceStream}, whose spills go to the executor's
 * local dirs and are removed when the task ends.
 */
final class SequenceTransform {
  private SequenceTransform() {}

  static Dataset<Row> bySequence(
      Dataset<?> dataset, InputColumns columns, String modelJson, float[] weights, StructType out) {
    JavaRDD<Chunk> chunks = TrainingData.decode(dataset, columns, Supervision.NONE, 0);
    int partitions = Math.max(1, chunks.getNumPartitions());
    JavaRDD<Row> rows =
        chunks
            .mapToPair(
                c ->
                    new Tuple2<>(
                        new ChunkKey(
                            (int) Math.floorMod(c.sequence(), (long) partitions),
                            0,
                            c.sequence(),
                            c.index()),
                        c))
            .repartitionAndSortWithinPartitions(new SlotPartitioner(partitions))
            .mapPartitions(
                it -> {
                  ModelConfig config = ModelConfig.fromJson(modelJson);
                  SequencePredictor predictor = new SequencePredictor(config, weights);
                  TaskContext context = TaskContext.get();
                  List<Row> result = new ArrayList<>();
                  try (BlobStore store = OffChipStores.open(OffChip.EXECUTOR_LOCAL)) {
                    SequenceStream sequences =
                        new SequenceStream(
                            new ChunkValues(it),
                            config.inputSize(),
                            store,
                            "predict",
                            context.taskAttemptId());
                    while (sequences.hasNext()) {
                      SequenceStream.Sequence s = sequences.next();
                      Object[] predicted = predictor.predict(s.frames());
                      Object[] values = new Object[predicted.length + 1];
                      values[0] = s.id();
                      System.arraycopy(predicted, 0, values, 1, predicted.length);
                      result.add(RowFactory.create(values));
                    }
                  }
                  return result.iterator();
                });
    return dataset.sparkSession().createDataFrame(rows, out);
  }
}
