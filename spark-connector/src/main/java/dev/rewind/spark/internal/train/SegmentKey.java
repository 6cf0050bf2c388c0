package dev.rewind.spark.internal.train;

import java.io.Serializable;
import java.util.Comparator;

/**
 * Where a chunk goes in a segment-parallel epoch: partition {@code segment}, and within it the
 * step, the micro-batch of that step, the sequence and the chunk, the order a task reads them in. A
 * chunk that straddles a segment boundary goes to both segments.
 */
public record SegmentKey(int segment, int step, int microBatch, long sequence, int chunk)
    implements Comparable<SegmentKey>, Serializable {
  private static final Comparator<SegmentKey> ORDER =
      Comparator.comparingInt(SegmentKey::step)
          .thenComparingInt(SegmentKey::microBatch)
          .thenComparingLong(SegmentKey::sequence)
          .thenComparingInt(SegmentKey::chunk)
          .thenComparingInt(SegmentKey::segment);

  @Override
  public int compareTo(SegmentKey o) {
    return ORDER.compare(this, o);
  }
}
