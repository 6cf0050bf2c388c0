package dev.rewind.spark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.spark.internal.train.GradientFixture;
import dev.rewind.trainer.data.DenseFrames;
import dev.rewind.trainer.data.EventFrames;
import dev.rewind.trainer.data.LongMemoryTask;
import dev.rewind.trainer.data.StepLabelledFrames;
import dev.rewind.trainer.data.StepTargetFrames;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Rows in the {@code events} format from trainer batches: same events, same order, same labels. */
class DatasetsTest {
  @Test
  void eventFramesBecomeTheirOwnEvents() {
    int[][] times = {{0, 0, 2, 4}, {}};
    int[][] channels = {{1, 1, 0, 2}, {}};
    List<Row> rows = Datasets.eventRows(new EventFrames(5, 3, times, channels, new int[] {1, 0}));
    assertEquals(2, rows.size());
    assertEquals(List.of(0, 0, 2, 4), rows.get(0).get(0));
    assertEquals(List.of(1, 1, 0, 2), rows.get(0).get(1));
    assertEquals(5, rows.get(0).getInt(2));
    assertEquals(1, rows.get(0).getInt(3));
    assertEquals(List.of(), rows.get(1).get(0));
    assertEquals(0, rows.get(1).getInt(3));
  }

  @Test
  void rowsMatchTheDocumentedSchema() {
    GradientFixture.events("").validate(Datasets.EVENTS_SCHEMA, Supervision.LABEL);
  }

  @Test
  void aFractionalFrameValueIsNamed() {
    float[] values = {0f, 0.5f, 0f, 0f};
    DenseFrames frames = new DenseFrames(values, 1, 2, 2, new int[] {0});
    String message =
        assertThrows(IllegalArgumentException.class, () -> Datasets.eventRows(frames)).getMessage();
    assertTrue(
        message.contains("sequence 0, step 0, channel 1") && message.contains("0.5"), message);
  }

  @Test
  void stepLabelledSourcesGetTheirLabelsColumn() {
    LongMemoryTask task = new LongMemoryTask(40, 20, 20, 2, 10, 0.02, 10);
    StepLabelledFrames frames = task.generateStepLabelled(3, 5);
    StructType schema = Datasets.schemaOf(frames);
    GradientFixture.events("").validate(schema, Supervision.STEP_LABELS);
    List<Row> rows = Datasets.eventRows(frames);
    for (int b = 0; b < 3; b++) {
      int[] labels = (int[]) rows.get(b).get(4);
      assertEquals(40, labels.length);
      for (int t = 0; t < 40; t++) {
        assertEquals(frames.stepLabel(b, t), labels[t], "sequence " + b + ", step " + t);
      }
    }
    StepTargetFrames targeted = task.generateStepTargeted(2, 5);
    GradientFixture.events("").validate(Datasets.schemaOf(targeted), Supervision.STEP_TARGETS);
    float[][] first = (float[][]) Datasets.eventRows(targeted).get(0).get(4);
    assertEquals(targeted.stepTarget(0, 39, 1), first[39][1]);
  }
}
