package dev.rewind.spark.data;

import dev.rewind.trainer.data.FrameSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
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
 * int}, {@code label int}, and where the source carries them the per-step columns a per-step head
 * reads: {@code labels array<int>} (a class per step, -1 for none, as {@code
 * LongMemoryTask.generateStepLabelled} gives) or {@code targets array<array<float>>}. A frame value
 * v at (step, channel) becomes v events there, so values must be whole numbers >= 0.
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

  /**
   * The sequences of {@code source} as a DataFrame with {@link #EVENTS_SCHEMA}, plus the per-step
   * column ({@link #schemaOf}) where the source carries per-step labels or targets.
   */
  public static Dataset<Row> events(SparkSession spark, FrameSource source) {
    return spark.createDataFrame(eventRows(source), schemaOf(source));
  }

  /**
   * {@link #EVENTS_SCHEMA}, with {@code labels} or {@code targets} where {@code source} has them.
   */
  public static StructType schemaOf(FrameSource source) {
    return withPerStepColumn(EVENTS_SCHEMA, Supervision.of(source));
  }

  /**
   * {@code schema} with the per-step column {@code supervision} reads appended: {@code labels
   * array<int>} or {@code targets array<array<float>>}; as it is for a label per sequence.
   */
  public static StructType withPerStepColumn(StructType schema, Supervision supervision) {
    return switch (supervision) {
      case STEP_LABELS ->
          schema.add("labels", DataTypes.createArrayType(DataTypes.IntegerType, false), false);
      case STEP_TARGETS ->
          schema.add(
              "targets",
              DataTypes.createArrayType(
                  DataTypes.createArrayType(DataTypes.FloatType, false), false),
              false);
      case LABEL, NONE -> schema;
    };
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
      Object[] row = {times, chans, source.steps(), source.label(b)};
      Optional<Object> perStep = perStepValues(source, b);
      if (perStep.isPresent()) {
        row = java.util.Arrays.copyOf(row, 5);
        row[4] = perStep.get();
      }
      rows.add(RowFactory.create(row));
    }
    return rows;
  }

  /**
   * Sequence {@code b}'s value of the per-step column ({@link #withPerStepColumn}): its label at
   * every step ({@code int[]}), or its target vector at every step ({@code float[][]}); empty where
   * the source has neither. Arrays of primitives, so that rows holding them cross a Kryo serializer
   * with registration required.
   */
  public static Optional<Object> perStepValues(FrameSource source, int b) {
    if (source.hasStepLabels()) {
      int[] labels = new int[source.steps()];
      for (int t = 0; t < labels.length; t++) {
        labels[t] = source.stepLabel(b, t);
      }
      return Optional.of(labels);
    }
    if (source.targetWidth() > 0) {
      float[][] targets = new float[source.steps()][source.targetWidth()];
      for (int t = 0; t < targets.length; t++) {
        for (int c = 0; c < targets[t].length; c++) {
          targets[t][c] = source.stepTarget(b, t, c);
        }
      }
      return Optional.of(targets);
    }
    return Optional.empty();
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
