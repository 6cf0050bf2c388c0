package dev.rewind.spark.internal.data;

import dev.rewind.spark.data.InputColumns;
import dev.rewind.spark.data.InputFormat;
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
  private final boolean withLabel;

  public RowDecoder(InputColumns columns, boolean withLabel) {
    this.columns = columns;
    this.withLabel = withLabel;
  }

  /**
   * Decodes {@code row}; {@code rowIndex} is the sequence id when sequences are one row each.
   * Without labels (prediction) the label is 0.
   */
  public Chunk decode(Row row, long rowIndex) {
    boolean dense = columns.format() == InputFormat.DENSE;
    int i = dense ? 1 : 3;
    int label = 0;
    if (withLabel) {
      label = intValue(row, i, columns.labelCol(), rowIndex);
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
      return denseChunk(row, sequence, chunk, label);
    }
    int steps = intValue(row, 2, columns.lengthCol(), sequence);
    int[] times = ints(row, 0, columns.eventTimesCol(), sequence);
    int[] channels = ints(row, 1, columns.eventChannelsCol(), sequence);
    return new EventChunk(sequence, chunk, label, steps, times, channels);
  }

  private DenseChunk denseChunk(Row row, long sequence, int chunk, int label) {
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
    return new DenseChunk(sequence, chunk, label, steps, width, values);
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
