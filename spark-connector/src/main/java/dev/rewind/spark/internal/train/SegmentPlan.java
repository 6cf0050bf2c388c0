package dev.rewind.spark.internal.train;

import dev.rewind.spark.internal.data.Chunk;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A segment-parallel epoch: the data-parallel {@link EpochPlan}'s mini-batches, each cut into
 * micro-batches of sequences of equal length (longest first, then by id), and every sequence cut in
 * time into S segments of nearly equal length ({@code [k T / S, (k + 1) T / S)}). A pure function
 * of its inputs, so a resumed fit replays the same epochs.
 *
 * @param chunkStarts per table position, the first step of each chunk and, last, the length
 * @param microBatch per table position, its micro-batch within its step
 * @param members per step, per micro-batch, the sequence ids in batch order
 */
public record SegmentPlan(
    int segments, EpochPlan epoch, long[][] chunkStarts, int[] microBatch, long[][][] members)
    implements Serializable {

  /**
   * Plans the segments of {@code epoch}.
   *
   * @param chunkSteps per sequence id, the steps of its chunks in index order
   */
  public static SegmentPlan create(
      EpochPlan epoch, Map<Long, int[]> chunkSteps, Parallelism parallelism, int batchSize) {
    SequenceTable table = epoch.table();
    int segments = parallelism.segments();
    int n = table.size();
    long[][] starts = new long[n][];
    for (int i = 0; i < n; i++) {
      long id = table.ids()[i];
      if (table.lengths()[i] < segments) {
        throw new IllegalArgumentException(
            "sequence "
                + id
                + " has "
                + table.lengths()[i]
                + " steps: parallelism "
                + parallelism
                + " needs at least "
                + segments
                + " steps a sequence");
      }
      int[] steps = chunkSteps.get(id);
      starts[i] = new long[steps.length + 1];
      for (int c = 0; c < steps.length; c++) {
        starts[i][c + 1] = starts[i][c] + steps[c];
      }
    }
    int micro = parallelism.microBatches(batchSize);
    int[] microBatch = new int[n];
    long[][][] members = new long[epoch.steps()][][];
    for (int s = 0; s < epoch.steps(); s++) {
      List<Integer> batch = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (epoch.step()[i] == s) {
          batch.add(i);
        }
      }
      batch.sort(
          (a, b) -> {
            int c = Long.compare(table.lengths()[b], table.lengths()[a]);
            return c != 0 ? c : Long.compare(table.ids()[a], table.ids()[b]);
          });
      int size = (batch.size() + micro - 1) / micro;
      List<long[]> groups = new ArrayList<>();
      List<Long> group = new ArrayList<>();
      for (int position : batch) {
        boolean sameLength =
            group.isEmpty()
                || table.lengths()[table.indexOf(group.get(0))] == table.lengths()[position];
        if (!group.isEmpty() && (group.size() == size || !sameLength)) {
          groups.add(group.stream().mapToLong(Long::longValue).toArray());
          group.clear();
        }
        microBatch[position] = groups.size();
        group.add(table.ids()[position]);
      }
      groups.add(group.stream().mapToLong(Long::longValue).toArray());
      members[s] = groups.toArray(new long[0][]);
    }
    return new SegmentPlan(segments, epoch, starts, microBatch, members);
  }

  public int steps() {
    return members.length;
  }

  /** How many micro-batches step {@code step} has. */
  public int microBatches(int step) {
    return members[step].length;
  }

  /** The length T shared by the sequences of micro-batch {@code m} of step {@code step}. */
  public long length(int step, int m) {
    return epoch.table().lengths()[epoch.table().indexOf(members[step][m][0])];
  }

  /** The first step of segment {@code k} of a sequence of {@code length} steps (k = S: T). */
  public long bound(long length, int k) {
    return length * k / segments;
  }

  /** The first step of chunk {@code chunk} of sequence {@code id}. */
  long chunkStart(long id, int chunk) {
    return chunkStarts[epoch.table().indexOf(id)][chunk];
  }

  /** The keys of the segments chunk {@code c} overlaps: one, or more when it straddles bounds. */
  public List<SegmentKey> keysOf(Chunk c) {
    int i = epoch.table().indexOf(c.sequence());
    long length = epoch.table().lengths()[i];
    long from = chunkStarts[i][c.index()];
    long to = from + c.steps();
    List<SegmentKey> keys = new ArrayList<>(1);
    for (int k = 0; k < segments; k++) {
      if (from < bound(length, k + 1) && bound(length, k) < to) {
        keys.add(new SegmentKey(k, epoch.step()[i], microBatch[i], c.sequence(), c.index()));
      }
    }
    return keys;
  }

  @Override
  public String toString() {
    return "SegmentPlan[segments="
        + segments
        + ", steps="
        + steps()
        + ", micro-batches of step 0: "
        + Arrays.deepToString(members.length == 0 ? new long[0][] : members[0])
        + "]";
  }
}
