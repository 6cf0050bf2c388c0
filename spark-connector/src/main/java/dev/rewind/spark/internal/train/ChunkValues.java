package dev.rewind.spark.internal.train;

import dev.rewind.spark.internal.data.Chunk;
import java.util.Iterator;
import scala.Tuple2;

/** The chunks of keyed rows, such as a laid-out or sorted partition, in their order. */
public record ChunkValues(Iterator<Tuple2<ChunkKey, Chunk>> rows) implements Iterator<Chunk> {
  @Override
  public boolean hasNext() {
    return rows.hasNext();
  }

  @Override
  public Chunk next() {
    return rows.next()._2();
  }
}
