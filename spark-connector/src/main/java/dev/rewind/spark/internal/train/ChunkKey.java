package dev.rewind.spark.internal.train;

import java.io.Serializable;
import java.util.Comparator;

/**
 * Where a chunk goes in an epoch: the task slot (partition) that trains it, the step whose
 * mini-batch holds its sequence, the sequence and the chunk index. Within a slot chunks are sorted
 * by (step, sequence, chunk), so a task streams one step's sequences in chunk order.
 */
public record ChunkKey(int slot, int step, long sequence, int chunk)
    implements Comparable<ChunkKey>, Serializable {
  private static final Comparator<ChunkKey> ORDER =
      Comparator.comparingInt(ChunkKey::step)
          .thenComparingLong(ChunkKey::sequence)
          .thenComparingInt(ChunkKey::chunk)
          .thenComparingInt(ChunkKey::slot);

  @Override
  public int compareTo(ChunkKey o) {
    return ORDER.compare(this, o);
  }
}
