package dev.rewind.spark.internal.train;

import dev.rewind.trainer.model.LossSpec;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Every training sequence's id and total length (steps over all its chunks), sorted by id. Built on
 * the driver from one pass over the data; drives the epoch plans.
 */
public record SequenceTable(long[] ids, long[] lengths) implements Serializable {
  public SequenceTable {
    if (ids.length != lengths.length) {
      throw new IllegalArgumentException(
          "sequence table: expected " + ids.length + " lengths, got " + lengths.length);
    }
    if (ids.length == 0) {
      throw new IllegalArgumentException("training data: expected at least one sequence, got none");
    }
    for (int i = 1; i < ids.length; i++) {
      if (ids[i] <= ids[i - 1]) {
        throw new IllegalArgumentException(
            "sequence table: expected ids sorted and distinct, got "
                + ids[i]
                + " after "
                + ids[i - 1]);
      }
    }
  }

  /** Builds a table from unsorted (id, length) pairs. */
  public static SequenceTable of(long[] ids, long[] lengths) {
    Integer[] order = new Integer[ids.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
    long[] sortedIds = new long[ids.length];
    long[] sortedLengths = new long[ids.length];
    for (int i = 0; i < order.length; i++) {
      sortedIds[i] = ids[order[i]];
      sortedLengths[i] = lengths[order[i]];
    }
    return new SequenceTable(sortedIds, sortedLengths);
  }

  public int size() {
    return ids.length;
  }

  /** Position of {@code id} in the table; IllegalArgumentException if it is not there. */
  public int indexOf(long id) {
    int i = Arrays.binarySearch(ids, id);
    if (i < 0) {
      throw new IllegalArgumentException("sequence id: expected one of the table, got " + id);
    }
    return i;
  }

  /**
   * Throws IllegalArgumentException naming the first sequence of {@code what} shorter than the
   * window of the loss head {@code head} ({@code last:K} needs K steps).
   */
  public void requireLossWindow(LossSpec head, String what) {
    if (head.kind() != LossSpec.Kind.LAST) {
      return;
    }
    for (int i = 0; i < ids.length; i++) {
      if (lengths[i] < head.lastSteps()) {
        throw new IllegalArgumentException(
            what
                + ", sequence "
                + ids[i]
                + ": expected at least the "
                + head.lastSteps()
                + " steps of loss "
                + head
                + ", got "
                + lengths[i]);
      }
    }
  }
}
