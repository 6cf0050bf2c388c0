package dev.rewind.spark.internal.train;

import dev.rewind.spark.internal.data.Chunk;
import java.util.Iterator;
import java.util.NoSuchElementException;
import scala.Tuple2;

/**
 * One slot's partition of an epoch, rows sorted by (step, sequence, chunk), read a step at a time:
 * {@link #step} gives the chunks of one step, skipping the rows of earlier steps, and leaves the
 * rows of later steps for the next call. Steps must be asked for in ascending order.
 */
final class SlotChunks {
  private final Iterator<Tuple2<ChunkKey, Chunk>> rows;
  private Tuple2<ChunkKey, Chunk> pending;

  SlotChunks(Iterator<Tuple2<ChunkKey, Chunk>> rows) {
    this.rows = rows;
  }

  /**
   * The chunks of step {@code step}, in (sequence, chunk) order; read each before the next call.
   */
  Iterator<Chunk> step(int step) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        while (pending == null || pending._1().step() < step) {
          if (!rows.hasNext()) {
            pending = null;
            return false;
          }
          pending = rows.next();
        }
        return pending._1().step() == step;
      }

      @Override
      public Chunk next() {
        if (!hasNext()) {
          throw new NoSuchElementException("no more chunks in step " + step);
        }
        Chunk c = pending._2();
        pending = null;
        return c;
      }
    };
  }
}
