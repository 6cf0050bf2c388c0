package dev.rewind.spark.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Which DataFrame columns hold a training example, and the check that a schema has them with the
 * right types. The check runs on the driver before any job: a missing or mistyped column is an
 * IllegalArgumentException naming the column, its type and the expected type.
 *
 * <p>Dense: {@code frames array<array<float>>}. Events: {@code event_times array<int>}, {@code
 * event_channels array<int>}, {@code length int} (times relative to the row's first step). Labels
 * are {@code int}; a per-step head reads {@code labels array<int>} (a class per step, -1 for none)
 * and a regression head {@code targets array<array<float>>} (a vector per step, NaN for none), as
 * long as the row's frames, instead. When {@code sequenceIdCol} is non-empty, a sequence may span
 * many rows: {@code seq_id long|int} (>= 0) and {@code chunk_idx int} (0, 1, 2, ... in time order).
 */
public record InputColumns(
    InputFormat format,
    String framesCol,
    String eventTimesCol,
    String eventChannelsCol,
    String lengthCol,
    String labelCol,
    String sequenceIdCol,
    String chunkIndexCol,
    String stepLabelsCol,
    String targetsCol)
    implements Serializable {

  /** The columns with the default per-step columns {@code labels} and {@code targets}. */
  public InputColumns(
      InputFormat format,
      String framesCol,
      String eventTimesCol,
      String eventChannelsCol,
      String lengthCol,
      String labelCol,
      String sequenceIdCol,
      String chunkIndexCol) {
    this(
        format,
        framesCol,
        eventTimesCol,
        eventChannelsCol,
        lengthCol,
        labelCol,
        sequenceIdCol,
        chunkIndexCol,
        "labels",
        "targets");
  }

  private static final DataType FRAMES =
      DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType));
  private static final DataType INTS = DataTypes.createArrayType(DataTypes.IntegerType);

  /** True when a sequence may span many rows. */
  public boolean chunked() {
    return !sequenceIdCol.isEmpty();
  }

  /** Checks that {@code schema} has the frames and what {@code supervision} reads. */
  public void validate(StructType schema, Supervision supervision) {
    if (format == InputFormat.DENSE) {
      expect(schema, framesCol, FRAMES, "array<array<float>>");
    } else {
      expect(schema, eventTimesCol, INTS, "array<int>");
      expect(schema, eventChannelsCol, INTS, "array<int>");
      expect(schema, lengthCol, DataTypes.IntegerType, "int");
    }
    switch (supervision) {
      case LABEL -> expect(schema, labelCol, DataTypes.IntegerType, "int");
      case STEP_LABELS -> expect(schema, stepLabelsCol, INTS, "array<int>");
      case STEP_TARGETS -> expect(schema, targetsCol, FRAMES, "array<array<float>>");
      case NONE -> {}
    }
    if (chunked()) {
      StructField id = field(schema, sequenceIdCol);
      if (id.dataType() != DataTypes.LongType && id.dataType() != DataTypes.IntegerType) {
        throw mistyped(id, "bigint or int");
      }
      expect(schema, chunkIndexCol, DataTypes.IntegerType, "int");
    }
  }

  /** The columns to select, in the order {@code RowDecoder} reads them. */
  public List<String> selected(Supervision supervision) {
    List<String> cols = new ArrayList<>();
    if (format == InputFormat.DENSE) {
      cols.add(framesCol);
    } else {
      cols.add(eventTimesCol);
      cols.add(eventChannelsCol);
      cols.add(lengthCol);
    }
    supervisionCol(supervision).ifPresent(cols::add);
    if (chunked()) {
      cols.add(sequenceIdCol);
      cols.add(chunkIndexCol);
    }
    return cols;
  }

  /** The column {@code supervision} reads, if any. */
  public java.util.Optional<String> supervisionCol(Supervision supervision) {
    return java.util.Optional.ofNullable(
        switch (supervision) {
          case LABEL -> labelCol;
          case STEP_LABELS -> stepLabelsCol;
          case STEP_TARGETS -> targetsCol;
          case NONE -> null;
        });
  }

  private static void expect(StructType schema, String name, DataType type, String typeName) {
    StructField f = field(schema, name);
    DataType actual = f.dataType();
    boolean matches =
        actual instanceof ArrayType a && type instanceof ArrayType e
            ? sameArray(a, e)
            : actual.equals(type);
    if (!matches) {
      throw mistyped(f, typeName);
    }
  }

  /** Array types match whatever their nullability flags say; nulls are rejected per value. */
  private static boolean sameArray(ArrayType a, ArrayType e) {
    DataType ae = a.elementType();
    DataType ee = e.elementType();
    if (ae instanceof ArrayType ia && ee instanceof ArrayType ie) {
      return sameArray(ia, ie);
    }
    return ae.equals(ee);
  }

  private static StructField field(StructType schema, String name) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "column '"
            + name
            + "': expected in the input, got columns "
            + String.join(", ", schema.fieldNames()));
  }

  private static IllegalArgumentException mistyped(StructField f, String expected) {
    return new IllegalArgumentException(
        "column '"
            + f.name()
            + "': expected type "
            + expected
            + ", got "
            + f.dataType().simpleString());
  }
}
