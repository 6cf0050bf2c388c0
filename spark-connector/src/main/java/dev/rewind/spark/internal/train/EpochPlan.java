package dev.rewind.spark.internal.train;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which step and which task slot train each sequence in one epoch: a pure function of (table, seed,
 * epoch, batch size, slots), so a resumed fit replays exactly the same epochs. The order is a
 * seeded permutation cut into mini-batches of {@code batchSize} (the last may be smaller); inside a
 * mini-batch sequences go longest first to the slot with the least total length so far (LPT), so
 * tasks are balanced by steps to run, not by row count.
 *
 * @param step per table position, the step of its mini-batch
 * @param slot per table position, the task slot that trains it
 * @param batchSizes per step, how many sequences its mini-batch holds
 */
public record EpochPlan(
    int epoch, int slots, SequenceTable table, int[] step, int[] slot, int[] batchSizes)
    implements Serializable {

  /** Plans {@code epoch}. */
  public static EpochPlan create(
      SequenceTable table, long seed, int epoch, int batchSize, int slots) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize: expected > 0, got " + batchSize);
    }
    if (slots <= 0) {
      throw new IllegalArgumentException("slots: expected > 0, got " + slots);
    }
    int n = table.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1)));
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int steps = (n + batchSize - 1) / batchSize;
    int[] step = new int[n];
    int[] slot = new int[n];
    int[] sizes = new int[steps];
    for (int s = 0; s < steps; s++) {
      int from = s * batchSize;
      int to = Math.min(n, from + batchSize);
      sizes[s] = to - from;
      Integer[] batch = new Integer[to - from];
      for (int k = from; k < to; k++) {
        batch[k - from] = order[k];
      }
      Arrays.sort(
          batch,
          (a, b) -> {
            int c = Long.compare(table.lengths()[b], table.lengths()[a]);
            return c != 0 ? c : Integer.compare(a, b);
          });
      long[] load = new long[slots];
      for (int position : batch) {
        int best = 0;
        for (int q = 1; q < slots; q++) {
          if (load[q] < load[best]) {
            best = q;
          }
        }
        load[best] += table.lengths()[position];
        step[position] = s;
        slot[position] = best;
      }
    }
    return new EpochPlan(epoch, slots, table, step, slot, sizes);
  }

  public int steps() {
    return batchSizes.length;
  }

  /** The key that places chunk {@code chunk} of sequence {@code id}. */
  public ChunkKey keyOf(long id, int chunk) {
    int i = table.indexOf(id);
    return new ChunkKey(slot[i], step[i], id, chunk);
  }

  /** Total length each slot trains at {@code s}: the balance the plan achieved. */
  public long[] slotLengths(int s) {
    long[] load = new long[slots];
    for (int i = 0; i < step.length; i++) {
      if (step[i] == s) {
        load[slot[i]] += table.lengths()[i];
      }
    }
    return load;
  }
}
