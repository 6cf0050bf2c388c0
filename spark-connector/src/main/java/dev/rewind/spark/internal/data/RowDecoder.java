package dev.rewind.spark.internal.data;

import dev.rewind.spark.data.InputColumns;
import dev.rewind.spark.data.InputFormat;
import dev.rewind.spark.data.Supervision;
import java.io.Serializable;
import org.apache.spark.sql.Row;
import scala.collection.Seq;

/**
 * Reads one row selected with {@link InputColumns#selected} into a {@link Chunk}. Runs in tasks; a
 * bad value (null, ragged frames, negative id) is an IllegalArgumentException naming the sequence,
 * the column and the value.
 */
public final class RowDecoder implements Serializable {
  private static final long serialVersionUID = 1L;
  private final InputColumns columns;
  private final Supervision supervision;
  private final int targetWidth;

  /** A decoder of rows without targets. */
  public RowDecoder(InputColumns columns, Supervision supervision) {
    this(columns, supervision, 0);
  }

  /**
   * @param supervision what the rows carry besides their frames
   * @param targetWidth under {@link Supervision#STEP_TARGETS}, the model's outputs C: each step's
   *     target vector must have C components
   */
  public RowDecoder(InputColumns columns, Supervision supervision, int targetWidth) {
    this.columns = columns;
    this.supervision = supervision;
    this.targetWidth = targetWidth;
  }

  /**
   * Decodes {@code row}; {@code rowIndex} is the sequence id when sequences are one row each.
   * Without a sequence label (prediction, a per-step head) the label is 0.
   */
  public Chunk decode(Row row, long rowIndex) {
    boolean dense = columns.format() == InputFormat.DENSE;
    int i = dense ? 1 : 3;
    int label = 0;
    int perStepColumn = -1;
    switch (supervision) {
      case LABEL -> label = intValue(row, i, columns.labelCol(), rowIndex);
      case STEP_LABELS, STEP_TARGETS -> perStepColumn = i;
      case NONE -> {}
    }
    if (supervision != Supervision.NONE) {
      i++;
    }
    long sequence = rowIndex;
    int chunk = 0;
    if (columns.chunked()) {
      sequence = ((Number) notNull(row, i, columns.sequenceIdCol(), rowIndex)).longValue();
      if (sequence < 0) {
        throw new IllegalArgumentException(
            "column '" + columns.sequenceIdCol() + "': expected >= 0, got " + sequence);
      }
      chunk = intValue(row, i + 1, columns.chunkIndexCol(), sequence);
    }
    if (dense) {
      return denseChunk(row, sequence, chunk, label, perStepColumn);
    }
    int steps = intValue(row, 2, columns.lengthCol(), sequence);
    int[] times = ints(row, 0, columns.eventTimesCol(), sequence);
    int[] channels = ints(row, 1, columns.eventChannelsCol(), sequence);
    return new EventChunk(
        sequence,
        chunk,
        label,
        steps,
        times,
        channels,
        perStep(row, perStepColumn, sequence, steps));
  }

  /**
   * The row's labels or targets at column {@code i}, one per each of its {@code steps}; none when
   * {@code i} < 0.
   */
  private StepSupervision perStep(Row row, int i, long sequence, int steps) {
    if (i < 0) {
      return StepSupervision.NONE;
    }
    String name = columns.supervisionCol(supervision).orElseThrow();
    Seq<?> values = (Seq<?>) notNull(row, i, name, sequence);
    if (values.length() != steps) {
      throw new IllegalArgumentException(
          "column '"
              + name
              + "' of "
              + name(sequence)
              + ": expected "
              + steps
              + " values (one per step of its frames), got "
              + values.length());
    }
    if (supervision == Supervision.STEP_LABELS) {
      return StepSupervision.labels(ints(row, i, name, sequence));
    }
    float[] targets = new float[steps * targetWidth];
    for (int t = 0; t < steps; t++) {
      Seq<?> target = (Seq<?>) values.apply(t);
      if (target == null) {
        // A step without a target vector has no target in any component.
        java.util.Arrays.fill(targets, t * targetWidth, (t + 1) * targetWidth, Float.NaN);
        continue;
      }
      if (target.length() != targetWidth) {
        throw new IllegalArgumentException(
            "column '"
                + name
                + "' of "
                + name(sequence)
                + ", step "
                + t
                + ": expected a target vector of the model's "
                + targetWidth
                + " outputs, got "
                + target.length()
                + " values");
      }
      for (int c = 0; c < targetWidth; c++) {
        Object v = target.apply(c);
        targets[t * targetWidth + c] = v == null ? Float.NaN : (Float) v;
      }
    }
    return StepSupervision.targets(targetWidth, targets);
  }

  private DenseChunk denseChunk(Row row, long sequence, int chunk, int label, int perStepColumn) {
    Seq<?> frames = (Seq<?>) notNull(row, 0, columns.framesCol(), sequence);
    int steps = frames.length();
    if (steps == 0) {
      throw new IllegalArgumentException(
          "column '"
              + columns.framesCol()
              + "' of "
              + name(sequence)
              + ": expected frames, got none");
    }
    int width = -1;
    float[] values = null;
    for (int t = 0; t < steps; t++) {
      Seq<?> frame = (Seq<?>) frames.apply(t);
      if (frame == null) {
        throw nullValue(columns.framesCol() + "[" + t + "]", sequence);
      }
      if (width < 0) {
        width = frame.length();
        values = new float[steps * width];
      } else if (frame.length() != width) {
        throw new IllegalArgumentException(
            "column '"
                + columns.framesCol()
                + "' of "
                + name(sequence)
                + ", step "
                + t
                + ": expected "
                + width
                + " channels (as step 0), got "
                + frame.length());
      }
      for (int j = 0; j < width; j++) {
        Object v = frame.apply(j);
        if (v == null) {
          throw nullValue(columns.framesCol() + "[" + t + "][" + j + "]", sequence);
        }
        values[t * width + j] = (Float) v;
      }
    }
    return new DenseChunk(
        sequence, chunk, label, steps, width, values, perStep(row, perStepColumn, sequence, steps));
  }

  private static int[] ints(Row row, int i, String name, long sequence) {
    Seq<?> seq = (Seq<?>) notNull(row, i, name, sequence);
    int[] out = new int[seq.length()];
    for (int k = 0; k < out.length; k++) {
      Object v = seq.apply(k);
      if (v == null) {
        throw nullValue(name + "[" + k + "]", sequence);
      }
      out[k] = (Integer) v;
    }
    return out;
  }

  private static int intValue(Row row, int i, String name, long sequence) {
    return ((Number) notNull(row, i, name, sequence)).intValue();
  }

  private static Object notNull(Row row, int i, String name, long sequence) {
    if (row.isNullAt(i)) {
      throw nullValue(name, sequence);
    }
    return row.get(i);
  }

  private static IllegalArgumentException nullValue(String name, long sequence) {
    return new IllegalArgumentException(
        "column '" + name + "' of " + name(sequence) + ": expected a value, got null");
  }

  /** How messages name a row's sequence: by its id, or as "its row" before it has one (< 0). */
  private static String name(long sequence) {
    return sequence < 0 ? "its row" : "sequence " + sequence;
  }
}
