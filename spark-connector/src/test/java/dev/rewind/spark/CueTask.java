package dev.rewind.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A small long-memory task for tests: a cue in the first steps (channels of the first half for
 * class 0, the second half for class 1), then sparse random noise; the label must be recalled at
 * the end. Sequences are dense frames; {@link #frames(int)} is sequence b's [steps x channels].
 */
public final class CueTask {
  public final int sequences;
  public final int steps;
  public final int channels;
  public final int cueSteps;
  private final float[][] frames;
  private final int[] labels;

  public CueTask(long seed, int sequences, int steps, int channels) {
    this.sequences = sequences;
    this.steps = steps;
    this.channels = channels;
    this.cueSteps = Math.max(1, steps / 6);
    this.frames = new float[sequences][];
    this.labels = new int[sequences];
    SplittableRandom random = new SplittableRandom(seed);
    for (int b = 0; b < sequences; b++) {
      int label = random.nextInt(2);
      labels[b] = label;
      float[] f = new float[steps * channels];
      for (int t = 0; t < steps; t++) {
        for (int j = 0; j < channels; j++) {
          boolean cue =
              t < cueSteps && (j < channels / 2) == (label == 0) && random.nextDouble() < 0.8;
          boolean noise = random.nextDouble() < 0.05;
          f[t * channels + j] = cue || noise ? 1f : 0f;
        }
      }
      frames[b] = f;
    }
  }

  private CueTask(float[][] frames, int[] labels, int steps, int channels) {
    this.sequences = frames.length;
    this.steps = steps;
    this.channels = channels;
    this.cueSteps = 0;
    this.frames = frames;
    this.labels = labels;
  }

  /** The sequences of {@code source} as dense frames (for example a {@code LongMemoryTask}). */
  public static CueTask of(dev.rewind.trainer.data.FrameSource source) {
    int n = source.batchSize();
    int steps = source.steps();
    int channels = source.channels();
    float[][] frames = new float[n][steps * channels];
    int[] labels = new int[n];
    int[] active = new int[channels];
    float[] values = new float[channels];
    for (int b = 0; b < n; b++) {
      labels[b] = source.label(b);
      for (int t = 0; t < steps; t++) {
        int k = source.fill(t, b, active, values);
        for (int i = 0; i < k; i++) {
          frames[b][t * channels + active[i]] = values[i];
        }
      }
    }
    return new CueTask(frames, labels, steps, channels);
  }

  public float[] frames(int b) {
    return frames[b];
  }

  public int label(int b) {
    return labels[b];
  }

  /** All sequences as one [sequences x steps x channels] array, for single-JVM BPTT. */
  public float[] allFrames() {
    float[] all = new float[sequences * steps * channels];
    for (int b = 0; b < sequences; b++) {
      System.arraycopy(frames[b], 0, all, b * steps * channels, steps * channels);
    }
    return all;
  }

  public int[] labels() {
    return labels.clone();
  }

  /** One row per sequence: frames array<array<float>>, label int. */
  public Dataset<Row> denseRows(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (int b = 0; b < sequences; b++) {
      rows.add(RowFactory.create(nested(frames[b], 0, steps), labels[b]));
    }
    StructType schema =
        new StructType()
            .add(
                "frames", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)))
            .add("label", DataTypes.IntegerType);
    return spark.createDataFrame(rows, schema);
  }

  /**
   * The sequence ids the Estimator gives {@link #denseRows} (rows without a sequence id column are
   * named by the 63-bit {@code xxhash64} of their frames and label), in row order.
   */
  public long[] denseRowIds(SparkSession spark) {
    return rowIds(denseRows(spark), "frames", "label");
  }

  /** The Estimator's sequence ids of {@code rows} (selected in {@code columns}), in row order. */
  public static long[] rowIds(Dataset<Row> rows, String... columns) {
    org.apache.spark.sql.Column[] cols =
        java.util.Arrays.stream(columns)
            .map(org.apache.spark.sql.functions::col)
            .toArray(org.apache.spark.sql.Column[]::new);
    return rows.select(org.apache.spark.sql.functions.xxhash64(cols)).collectAsList().stream()
        .mapToLong(r -> r.getLong(0) & Long.MAX_VALUE)
        .toArray();
  }

  /**
   * Many rows per sequence: seq_id bigint, chunk_idx int, frames, label; chunk lengths cycle
   * through {@code chunkSteps}; rows are shuffled so that ingestion must reorder them.
   */
  public Dataset<Row> chunkedRows(SparkSession spark, int chunkSteps, long shuffleSeed) {
    List<Row> rows = new ArrayList<>();
    for (int b = 0; b < sequences; b++) {
      int chunk = 0;
      for (int t = 0; t < steps; t += chunkSteps) {
        int end = Math.min(steps, t + chunkSteps);
        rows.add(RowFactory.create((long) b, chunk++, nested(frames[b], t, end), labels[b]));
      }
    }
    java.util.Collections.shuffle(rows, new java.util.Random(shuffleSeed));
    StructType schema =
        new StructType()
            .add("seq_id", DataTypes.LongType)
            .add("chunk_idx", DataTypes.IntegerType)
            .add(
                "frames", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)))
            .add("label", DataTypes.IntegerType);
    return spark.createDataFrame(rows, schema);
  }

  /**
   * One row per sequence as events: event_times array<int>, event_channels array<int>, length int,
   * label int (a frame value v becomes v events).
   */
  public Dataset<Row> eventRows(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (int b = 0; b < sequences; b++) {
      List<Integer> times = new ArrayList<>();
      List<Integer> chans = new ArrayList<>();
      for (int t = 0; t < steps; t++) {
        for (int j = 0; j < channels; j++) {
          for (int k = 0; k < (int) frames[b][t * channels + j]; k++) {
            times.add(t);
            chans.add(j);
          }
        }
      }
      rows.add(RowFactory.create(times, chans, steps, labels[b]));
    }
    StructType schema =
        new StructType()
            .add("event_times", DataTypes.createArrayType(DataTypes.IntegerType))
            .add("event_channels", DataTypes.createArrayType(DataTypes.IntegerType))
            .add("length", DataTypes.IntegerType)
            .add("label", DataTypes.IntegerType);
    return spark.createDataFrame(rows, schema);
  }

  private List<List<Float>> nested(float[] f, int from, int to) {
    List<List<Float>> out = new ArrayList<>();
    for (int t = from; t < to; t++) {
      List<Float> frame = new ArrayList<>();
      for (int j = 0; j < channels; j++) {
        frame.add(f[t * channels + j]);
      }
      out.add(frame);
    }
    return out;
  }
}
