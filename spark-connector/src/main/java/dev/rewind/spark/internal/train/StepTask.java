package dev.rewind.spark.internal.train;

import dev.rewind.spark.internal.data.Chunk;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * The task of one distributed step: its slot's share of step {@code step} ({@link SlotStep}) under
 * the broadcast parameters, returned as one {@link GradientSum}.
 */
final class StepTask implements FlatMapFunction<Iterator<Tuple2<ChunkKey, Chunk>>, GradientSum> {
  private static final long serialVersionUID = 1L;
  private final TaskSetup setup;
  private final int step;
  private final Broadcast<float[]> parameters;

  public StepTask(TaskSetup setup, int step, Broadcast<float[]> parameters) {
    this.setup = setup;
    this.step = step;
    this.parameters = parameters;
  }

  @Override
  public Iterator<GradientSum> call(Iterator<Tuple2<ChunkKey, Chunk>> rows) throws Exception {
    try (SlotStep slot = new SlotStep(setup, TaskContext.get())) {
      return List.of(slot.sum(new SlotChunks(rows).step(step), parameters.value())).iterator();
    }
  }
}
