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

  private static String error(StructType schema, boolean withLabel) {
    return assertThrows(
            IllegalArgumentException.class, () -> EVENTS_CHUNKED.validate(schema, withLabel))
        .getMessage();
  }

  @Test
  void acceptsTheDocumentedSchema() {
    EVENTS_CHUNKED.validate(eventsSchema(), true);
    EVENTS_CHUNKED.validate(eventsSchema().add("extra", DataTypes.StringType), false);
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
    assertEquals("column 'c': expected type array<int>, got array<bigint>", error(schema, true));
    StructType label = new StructType();
    for (var f : eventsSchema().fields()) {
      label = label.add(f.name(), f.name().equals("label") ? DataTypes.DoubleType : f.dataType());
    }
    assertEquals("column 'label': expected type int, got double", error(label, true));
    StructType seq = new StructType();
    for (var f : eventsSchema().fields()) {
      seq = seq.add(f.name(), f.name().equals("seq") ? DataTypes.StringType : f.dataType());
    }
    assertEquals("column 'seq': expected type bigint or int, got string", error(seq, true));
  }

  @Test
  void namesTheMissingColumn() {
    StructType schema = new StructType().add("t", DataTypes.createArrayType(DataTypes.IntegerType));
    assertEquals("column 'c': expected in the input, got columns t", error(schema, false));
  }
}
