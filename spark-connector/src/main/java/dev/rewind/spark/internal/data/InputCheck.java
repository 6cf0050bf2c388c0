package dev.rewind.spark.internal.data;

import dev.rewind.spark.data.InputColumns;
import dev.rewind.spark.data.Supervision;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A cheap pass over input rows before any training job: every row is decoded and checked against
 * the model (labels in range, frame width, channels in range, event times within the length, finite
 * values, per-step labels or targets as long as the frames), and the first bad rows are named by
 * {@code seq_id} (and {@code chunk_idx}) or, for rows without one, by their input file. Tasks then
 * meet only rows that passed.
 */
public final class InputCheck implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How many bad rows an error names. */
  static final int SHOWN = 3;

  private final InputColumns columns;
  private final Supervision supervision;
  private final int channels;
  private final int classes;

  /**
   * @param supervision what the rows carry besides their frames
   * @param channels the model's input channels
   * @param classes the model's classes (or outputs, for targets)
   */
  public InputCheck(InputColumns columns, Supervision supervision, int channels, int classes) {
    this.columns = columns;
    this.supervision = supervision;
    this.channels = channels;
    this.classes = classes;
  }

  /**
   * Fails with one line naming the first bad rows of {@code dataset} ({@code what}: e.g. "training
   * rows"); runs one job.
   */
  public void requireValid(Dataset<?> dataset, String what) {
    List<String> problems = problems(dataset);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          what
              + ": "
              + String.join("; ", problems)
              + (problems.size() == SHOWN ? " (the first " + SHOWN + " bad rows)" : ""));
    }
  }

  /** Up to {@link #SHOWN} problems, each naming its row. */
  List<String> problems(Dataset<?> dataset) {
    List<String> selected = columns.selected(supervision);
    Column[] cols = new Column[selected.size() + 1];
    for (int i = 0; i < selected.size(); i++) {
      cols[i] = dataset.col(selected.get(i));
    }
    cols[selected.size()] = functions.input_file_name();
    int file = selected.size();
    RowDecoder decoder = new RowDecoder(columns, supervision, classes);
    return dataset
        .select(cols)
        .toJavaRDD()
        .flatMap(r -> check(decoder, r, file).stream().iterator())
        .take(SHOWN);
  }

  private Optional<String> check(RowDecoder decoder, Row row, int file) {
    String where = where(row, file);
    Chunk chunk;
    try {
      chunk = decoder.decode(row, -1);
    } catch (IllegalArgumentException | ClassCastException e) {
      return Optional.of(where + ": " + e.getMessage());
    }
    if (supervision == Supervision.LABEL && (chunk.label() < 0 || chunk.label() >= classes)) {
      return Optional.of(
          where
              + ": column '"
              + columns.labelCol()
              + "': expected a label in [0, "
              + classes
              + "), got "
              + chunk.label());
    }
    return problem(chunk).or(() -> perStepProblem(chunk.supervision())).map(p -> where + ": " + p);
  }

  /** A per-step label out of range, or a target that is infinite, naming its step. */
  private Optional<String> perStepProblem(StepSupervision s) {
    String column = "column '" + columns.supervisionCol(supervision).orElse("") + "', step ";
    int[] labels = s.labels();
    for (int t = 0; labels != null && t < labels.length; t++) {
      if (labels[t] < -1 || labels[t] >= classes) {
        return Optional.of(
            column
                + t
                + ": expected a label in [0, "
                + classes
                + ") or -1 (none), got "
                + labels[t]);
      }
    }
    float[] targets = s.targets();
    for (int i = 0; targets != null && i < targets.length; i++) {
      if (Float.isInfinite(targets[i])) {
        return Optional.of(
            column
                + i / s.width()
                + ", component "
                + i % s.width()
                + ": expected a finite target or NaN (none), got "
                + targets[i]);
      }
    }
    return Optional.empty();
  }

  private Optional<String> problem(Chunk chunk) {
    if (chunk instanceof DenseChunk d) {
      if (d.channels() != channels) {
        return Optional.of(
            "column '"
                + columns.framesCol()
                + "': expected "
                + channels
                + " channels per frame, got "
                + d.channels());
      }
      float[] v = d.values();
      for (int i = 0; i < v.length; i++) {
        if (!Float.isFinite(v[i])) {
          return Optional.of(
              "column '"
                  + columns.framesCol()
                  + "', step "
                  + i / channels
                  + ", channel "
                  + i % channels
                  + ": expected a finite value, got "
                  + v[i]);
        }
      }
      return Optional.empty();
    }
    EventChunk e = (EventChunk) chunk;
    for (int k = 0; k < e.times().length; k++) {
      if (e.channels()[k] < 0 || e.channels()[k] >= channels) {
        return Optional.of(
            "column '"
                + columns.eventChannelsCol()
                + "', event "
                + k
                + ": expected a channel in [0, "
                + channels
                + "), got "
                + e.channels()[k]);
      }
      if (e.times()[k] < 0 || e.times()[k] >= e.steps()) {
        return Optional.of(
            "column '"
                + columns.eventTimesCol()
                + "', event "
                + k
                + ": expected a time in [0, "
                + e.steps()
                + ") (column '"
                + columns.lengthCol()
                + "'), got "
                + e.times()[k]);
      }
    }
    return Optional.empty();
  }

  /** The row's name: seq_id (and chunk_idx) when chunked, and its input file when known. */
  private String where(Row row, int file) {
    StringBuilder s = new StringBuilder();
    if (columns.chunked()) {
      int id = columns.selected(supervision).indexOf(columns.sequenceIdCol());
      s.append(columns.sequenceIdCol()).append(' ').append(row.get(id));
      s.append(", ").append(columns.chunkIndexCol()).append(' ').append(row.get(id + 1));
    } else {
      s.append("a row");
    }
    String path = row.getString(file);
    if (path != null && !path.isEmpty()) {
      s.append(" of ").append(path);
    }
    return s.toString();
  }
}
