package dev.rewind.examples.spark;

import dev.rewind.spark.data.Datasets;
import dev.rewind.spark.data.InputFormat;
import dev.rewind.spark.data.Supervision;
import dev.rewind.trainer.data.FrameSource;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns batches of a built-in task into the connector's input columns, one row per sequence: {@code
 * seq_id bigint} (position in the set), {@code label int}, and either {@code event_times
 * array<int>}, {@code event_channels array<int>}, {@code length int} (events: every non-zero value
 * is 1, a spike) or {@code frames array<array<float>>} (dense: steps x channels), and where the
 * task labels every step {@code labels array<int>} (-1: none) or {@code targets
 * array<array<float>>} (steps x outputs, NaN: none), the columns a per-step head reads. The feature
 * column carries metadata {@value #CHANNELS} and the label column {@value #CLASSES}, so that a
 * Parquet copy knows the model's input and output sizes.
 */
public final class SequenceRows {
  /** Metadata key on {@code frames} / {@code event_channels}: the number of input channels. */
  public static final String CHANNELS = "rewind.channels";

  /** Metadata key on {@code label}: the number of classes. */
  public static final String CLASSES = "rewind.classes";

  private SequenceRows() {}

  /** Events when every non-zero value of every set is exactly 1, dense otherwise. */
  @SafeVarargs
  public static InputFormat formatOf(List<? extends FrameSource>... sets) {
    for (List<? extends FrameSource> set : sets) {
      for (FrameSource s : set) {
        int[] channels = new int[s.channels()];
        float[] values = new float[s.channels()];
        for (int b = 0; b < s.batchSize(); b++) {
          for (int t = 0; t < s.steps(); t++) {
            int n = s.fill(t, b, channels, values);
            for (int i = 0; i < n; i++) {
              if (values[i] != 1f) {
                return InputFormat.DENSE;
              }
            }
          }
        }
      }
    }
    return InputFormat.EVENTS;
  }

  /**
   * The schema of rows in {@code format} for {@code channels} inputs and {@code classes}, with the
   * per-step column {@code supervision} reads, if any.
   */
  public static StructType schema(
      InputFormat format, int channels, int classes, Supervision supervision) {
    Metadata channelMeta = new MetadataBuilder().putLong(CHANNELS, channels).build();
    Metadata classMeta = new MetadataBuilder().putLong(CLASSES, classes).build();
    StructType schema = new StructType().add("seq_id", DataTypes.LongType, false);
    if (format == InputFormat.DENSE) {
      schema =
          schema.add(
              new StructField(
                  "frames",
                  DataTypes.createArrayType(
                      DataTypes.createArrayType(DataTypes.FloatType, false), false),
                  false,
                  channelMeta));
    } else {
      schema =
          schema
              .add("event_times", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
              .add(
                  new StructField(
                      "event_channels",
                      DataTypes.createArrayType(DataTypes.IntegerType, false),
                      false,
                      channelMeta))
              .add("length", DataTypes.IntegerType, false);
    }
    return Datasets.withPerStepColumn(
        schema.add(new StructField("label", DataTypes.IntegerType, false, classMeta)), supervision);
  }

  /**
   * One row per sequence of {@code set}, numbered from 0, as a DataFrame of {@code partitions}
   * partitions.
   */
  public static Dataset<Row> dataFrame(
      SparkSession spark,
      List<? extends FrameSource> set,
      InputFormat format,
      int channels,
      int classes,
      int partitions) {
    List<Row> rows = new ArrayList<>();
    long bytes = 0;
    long id = 0;
    Supervision supervision = Supervision.of(set.get(0));
    for (FrameSource s : set) {
      for (int b = 0; b < s.batchSize(); b++) {
        Row row = format == InputFormat.DENSE ? dense(s, b, id++) : events(s, b, id++);
        rows.add(withPerStep(row, s, b));
        bytes += format == InputFormat.DENSE ? 4L * s.steps() * s.channels() : 8L * eventsOf(row);
      }
    }
    // The rows start on the driver and travel inside the tasks that read them: in slices of
    // about 512 KiB, not in one task that Spark warns is too large.
    int slices = (int) Math.max(Math.max(1, partitions), (bytes >> 19) + 1);
    return spark
        .createDataFrame(
            JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, slices),
            schema(format, channels, classes, supervision))
        .repartition(Math.max(1, partitions));
  }

  /** {@code row} with sequence {@code b}'s per-step labels or targets appended, if it has any. */
  private static Row withPerStep(Row row, FrameSource s, int b) {
    java.util.Optional<Object> perStep = Datasets.perStepValues(s, b);
    if (perStep.isEmpty()) {
      return row;
    }
    Object[] values = new Object[row.length() + 1];
    for (int i = 0; i < row.length(); i++) {
      values[i] = row.get(i);
    }
    values[row.length()] = perStep.get();
    return RowFactory.create(values);
  }

  private static int eventsOf(Row eventRow) {
    return ((int[]) eventRow.get(1)).length;
  }

  private static Row dense(FrameSource s, int b, long id) {
    int[] channels = new int[s.channels()];
    float[] values = new float[s.channels()];
    float[][] frames = new float[s.steps()][s.channels()];
    for (int t = 0; t < s.steps(); t++) {
      int n = s.fill(t, b, channels, values);
      for (int i = 0; i < n; i++) {
        frames[t][channels[i]] = values[i];
      }
    }
    return RowFactory.create(id, frames, s.label(b));
  }

  private static Row events(FrameSource s, int b, long id) {
    int[] channels = new int[s.channels()];
    float[] values = new float[s.channels()];
    List<Integer> times = new ArrayList<>();
    List<Integer> events = new ArrayList<>();
    for (int t = 0; t < s.steps(); t++) {
      int n = s.fill(t, b, channels, values);
      for (int i = 0; i < n; i++) {
        times.add(t);
        events.add(channels[i]);
      }
    }
    return RowFactory.create(
        id,
        times.stream().mapToInt(Integer::intValue).toArray(),
        events.stream().mapToInt(Integer::intValue).toArray(),
        s.steps(),
        s.label(b));
  }
}
