package dev.rewind.spark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Schema checks name the column, its type and the expected type. */
class InputColumnsTest {
  private static final InputColumns EVENTS_CHUNKED =
      new InputColumns(InputFormat.EVENTS, "frames", "t", "c", "len", "label", "seq", "chunk");

  private static StructType eventsSchema() {
    return new StructType()
        .add("t", DataTypes.createArrayType(DataTypes.IntegerType))
        .add("c", DataTypes.createArrayType(DataTypes.IntegerType))
        .add("len", DataTypes.IntegerType)
        .add("label", DataTypes.IntegerType)
        .add("seq", DataTypes.LongType)
        .add("chunk", DataTypes.IntegerType);
  }

  private static String error(StructType schema, Supervision supervision) {
    return assertThrows(
            IllegalArgumentException.class, () -> EVENTS_CHUNKED.validate(schema, supervision))
        .getMessage();
  }

  @Test
  void acceptsTheDocumentedSchema() {
    EVENTS_CHUNKED.validate(eventsSchema(), Supervision.LABEL);
    EVENTS_CHUNKED.validate(eventsSchema().add("extra", DataTypes.StringType), Supervision.NONE);
  }

  @Test
  void namesTheMistypedColumn() {
    StructType schema = eventsSchema();
    schema.fields()[1] =
        new org.apache.spark.sql.types.StructField(
            "c",
            DataTypes.createArrayType(DataTypes.LongType),
            true,
            org.apache.spark.sql.types.Metadata.empty());
    assertEquals(
        "column 'c': expected type array<int>, got array<bigint>",
        error(schema, Supervision.LABEL));
    StructType label = new StructType();
    for (var f : eventsSchema().fields()) {
      label = label.add(f.name(), f.name().equals("label") ? DataTypes.DoubleType : f.dataType());
    }
    assertEquals("column 'label': expected type int, got double", error(label, Supervision.LABEL));
    StructType seq = new StructType();
    for (var f : eventsSchema().fields()) {
      seq = seq.add(f.name(), f.name().equals("seq") ? DataTypes.StringType : f.dataType());
    }
    assertEquals(
        "column 'seq': expected type bigint or int, got string", error(seq, Supervision.LABEL));
  }

  @Test
  void namesTheMissingColumn() {
    StructType schema = new StructType().add("t", DataTypes.createArrayType(DataTypes.IntegerType));
    assertEquals(
        "column 'c': expected in the input, got columns t", error(schema, Supervision.NONE));
  }

  @Test
  void perStepHeadsReadTheirOwnColumnsInsteadOfTheLabel() {
    StructType noLabel = new StructType();
    for (var f : eventsSchema().fields()) {
      if (!f.name().equals("label")) {
        noLabel = noLabel.add(f);
      }
    }
    StructType withSteps = noLabel.add("labels", DataTypes.createArrayType(DataTypes.IntegerType));
    EVENTS_CHUNKED.validate(withSteps, Supervision.STEP_LABELS);
    assertEquals(
        "column 'targets': expected in the input, got columns t, c, len, seq, chunk, labels",
        error(withSteps, Supervision.STEP_TARGETS));
    StructType wrongTargets =
        noLabel.add("targets", DataTypes.createArrayType(DataTypes.FloatType));
    assertEquals(
        "column 'targets': expected type array<array<float>>, got array<float>",
        error(wrongTargets, Supervision.STEP_TARGETS));
    assertEquals(
        java.util.List.of("t", "c", "len", "targets", "seq", "chunk"),
        EVENTS_CHUNKED.selected(Supervision.STEP_TARGETS));
  }
}
