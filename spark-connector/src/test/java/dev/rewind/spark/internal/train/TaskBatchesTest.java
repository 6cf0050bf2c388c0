package dev.rewind.spark.internal.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.spark.internal.data.SequenceStream;
import dev.rewind.trainer.data.DenseFrames;
import dev.rewind.trainer.data.FrameSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which sequences a task computes together, with a gradient function that records its calls. */
class TaskBatchesTest {
  /** Each call as "batch size:label,label,...". */
  private final List<String> calls = new ArrayList<>();

  private final List<Integer> created = new ArrayList<>();
  private int closed;

  private SequenceGradient recording(int batch) {
    created.add(batch);
    return new SequenceGradient() {
      @Override
      public SequenceResult compute(FrameSource frames) {
        assertEquals(batch, frames.batchSize(), "frames given to the batch-" + batch + " function");
        StringBuilder labels = new StringBuilder();
        for (int b = 0; b < frames.batchSize(); b++) {
          labels.append(b == 0 ? "" : ",").append(frames.label(b));
        }
        calls.add(frames.steps() + ":" + labels);
        return new SequenceResult(batch, 0, batch, new float[] {batch}, frames.steps(), 0, 0, 0);
      }

      @Override
      public void close() {
        closed++;
      }
    };
  }

  /**
   * Sequence {@code label} (its label names it) of {@code steps} steps in {@code chunks} chunks.
   */
  private static SequenceStream.Sequence sequence(int label, int steps, int chunks) {
    return new SequenceStream.Sequence(
        label, new DenseFrames(new float[steps], 1, steps, 1, new int[] {label}), chunks);
  }

  @Test
  void groupsWholeSequencesOfEqualLengthAndComputesChunkedOnesAlone() throws Exception {
    GradientSum sum = new GradientSum(1);
    try (TaskBatches batches = new TaskBatches(3, this::recording, sum)) {
      batches.add(sequence(0, 5, 1));
      batches.add(sequence(1, 7, 1));
      batches.add(sequence(2, 5, 1));
      batches.add(sequence(3, 5, 2));
      batches.add(sequence(4, 5, 1));
      batches.add(sequence(5, 7, 1));
      batches.finish();
    }
    assertEquals(List.of("5:3", "5:0,2,4", "7:1,5"), calls);
    assertEquals(List.of(1, 3, 2), created);
    assertEquals(3, closed);
    assertEquals(6, sum.sequences());
    assertEquals(1 + 3 + 2, sum.sumGradient()[0]);
  }

  @Test
  void batchOfOneComputesEverySequenceAloneInOrder() throws Exception {
    try (TaskBatches batches = new TaskBatches(1, this::recording, new GradientSum(1))) {
      batches.add(sequence(0, 5, 1));
      batches.add(sequence(1, 7, 1));
      batches.add(sequence(2, 5, 1));
      batches.finish();
    }
    assertEquals(List.of("5:0", "7:1", "5:2"), calls);
    assertEquals(List.of(1), created);
  }

  @Test
  void autoGroupsEveryWholeSequenceOfALengthAndHalvesGroupsTheBudgetCannotHold() throws Exception {
    GradientSum sum = new GradientSum(1);
    try (TaskBatches batches =
        new TaskBatches(
            0,
            batch -> {
              SequenceGradient g = recording(batch);
              return new SequenceGradient() {
                @Override
                public SequenceResult compute(FrameSource frames) throws java.io.IOException {
                  if (frames.batchSize() > 2 && frames.steps() == 5) {
                    throw new dev.rewind.trainer.schedule.BudgetExceededException("too large");
                  }
                  return g.compute(frames);
                }

                @Override
                public void close() {
                  g.close();
                }
              };
            },
            sum)) {
      for (int i = 0; i < 5; i++) {
        batches.add(sequence(i, 5, 1));
      }
      batches.add(sequence(5, 7, 1));
      batches.add(sequence(6, 7, 1));
      batches.add(sequence(7, 7, 1));
      batches.finish();
    }
    // Five of length 5 do not fit, nor do three: halves of halves do. Three of length 7 fit.
    assertEquals(List.of("5:0,1", "5:2", "5:3,4", "7:5,6,7"), calls);
    assertEquals(8, sum.sequences());
  }

  @Test
  void rejectsANegativeBatch() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TaskBatches(-1, this::recording, new GradientSum(1)));
    assertEquals("taskBatchSize: expected >= 0 (0 = auto), got -1", e.getMessage());
  }
}
