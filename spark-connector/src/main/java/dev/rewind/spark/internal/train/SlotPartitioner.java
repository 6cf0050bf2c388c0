package dev.rewind.spark.internal.train;

import org.apache.spark.Partitioner;

/**
 * Sends a {@link ChunkKey} to the partition of its slot, a {@link SegmentKey} to the partition of
 * its segment.
 */
public final class SlotPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;
  private final int slots;

  public SlotPartitioner(int slots) {
    if (slots <= 0) {
      throw new IllegalArgumentException("slots: expected > 0, got " + slots);
    }
    this.slots = slots;
  }

  @Override
  public int numPartitions() {
    return slots;
  }

  @Override
  public int getPartition(Object key) {
    return key instanceof SegmentKey k ? k.segment() : ((ChunkKey) key).slot();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SlotPartitioner p && p.slots == slots;
  }

  @Override
  public int hashCode() {
    return slots;
  }
}
