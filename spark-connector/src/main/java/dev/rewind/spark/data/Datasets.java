package dev.rewind.spark.data;

import dev.rewind.trainer.data.FrameSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * DataFrames in the Estimator's {@code events} input format from the trainer's in-memory batches
 * (for example {@code LongMemoryTask.generate}), for notebooks and examples: one row per sequence,
 * {@code event_times array<int>} (ascending), {@code event_channels array<int>}, {@code length
 * int}, {@code label int}. A frame value v at (step, channel) becomes v events there, so values
 * must be whole numbers >= 0.
 */
public final class Datasets {
  /** The schema of {@link #events}. */
  public static final StructType EVENTS_SCHEMA =
      new StructType()
          .add("event_times", DataTypes.createArrayType(DataTypes.IntegerType, false))
          .add("event_channels", DataTypes.createArrayType(DataTypes.IntegerType, false))
          .add("length", DataTypes.IntegerType, false)
          .add("label", DataTypes.IntegerType, false);

  private Datasets() {}

  /** The sequences of {@code source} as a DataFrame with {@link #EVENTS_SCHEMA}. */
  public static Dataset<Row> events(SparkSession spark, FrameSource source) {
    return spark.createDataFrame(eventRows(source), EVENTS_SCHEMA);
  }

  /** The rows of {@link #events}, one per sequence, in the source's order. */
  public static List<Row> eventRows(FrameSource source) {
    int channels = source.channels();
    int[] active = new int[channels];
    float[] values = new float[channels];
    List<Row> rows = new ArrayList<>(source.batchSize());
    for (int b = 0; b < source.batchSize(); b++) {
      List<Integer> times = new ArrayList<>();
      List<Integer> chans = new ArrayList<>();
      for (int t = 0; t < source.steps(); t++) {
        int k = source.fill(t, b, active, values);
        for (int i = 0; i < k; i++) {
          int count = eventCount(values[i], b, t, active[i]);
          times.addAll(Collections.nCopies(count, t));
          chans.addAll(Collections.nCopies(count, active[i]));
        }
      }
      rows.add(RowFactory.create(times, chans, source.steps(), source.label(b)));
    }
    return rows;
  }

  private static int eventCount(float value, int b, int t, int channel) {
    if (!(value >= 0) || value != Math.rint(value) || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "frame value of sequence "
              + b
              + ", step "
              + t
              + ", channel "
              + channel
              + ": expected a whole number of events >= 0, got "
              + value);
    }
    return (int) value;
  }
}
