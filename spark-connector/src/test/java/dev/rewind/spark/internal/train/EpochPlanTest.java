package dev.rewind.spark.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Epoch plans: deterministic, every sequence once per epoch, tasks balanced by length. */
class EpochPlanTest {

  private static SequenceTable table(long seed, int n) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    long[] ids = new long[n];
    long[] lengths = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i * 3L + 1;
      lengths[i] = 1 + r.nextInt(1000);
    }
    return SequenceTable.of(ids, lengths);
  }

  @Property(tries = 200)
  void everySequenceOncePerEpochAndBalanced(
      @ForAll @LongRange(min = 0, max = 1000) long seed,
      @ForAll @IntRange(min = 1, max = 60) int n,
      @ForAll @IntRange(min = 1, max = 16) int batch,
      @ForAll @IntRange(min = 1, max = 5) int slots,
      @ForAll @IntRange(min = 0, max = 4) int epoch) {
    SequenceTable t = table(seed, n);
    EpochPlan plan = EpochPlan.create(t, seed, epoch, batch, slots);
    assertEquals((n + batch - 1) / batch, plan.steps());
    int[] count = new int[plan.steps()];
    for (int i = 0; i < n; i++) {
      count[plan.step()[i]]++;
      assertTrue(plan.slot()[i] >= 0 && plan.slot()[i] < slots);
    }
    assertArrayEquals(plan.batchSizes(), count);
    assertEquals(n, Arrays.stream(count).sum());
    for (int s = 0; s < plan.steps(); s++) {
      long[] load = plan.slotLengths(s);
      long max = Arrays.stream(load).max().getAsLong();
      long min = Arrays.stream(load).min().getAsLong();
      long longest = 0;
      for (int i = 0; i < n; i++) {
        if (plan.step()[i] == s) {
          longest = Math.max(longest, t.lengths()[i]);
        }
      }
      // Greedy LPT: the busiest slot exceeds the idlest by at most one sequence.
      assertTrue(max - min <= longest, "step " + s + " loads " + Arrays.toString(load));
    }
  }

  @Property(tries = 50)
  void sameSeedAndEpochGiveTheSamePlan(@ForAll @LongRange(min = 0, max = 1000) long seed) {
    SequenceTable t = table(seed, 40);
    EpochPlan a = EpochPlan.create(t, seed, 2, 7, 3);
    EpochPlan b = EpochPlan.create(t, seed, 2, 7, 3);
    assertArrayEquals(a.step(), b.step());
    assertArrayEquals(a.slot(), b.slot());
    EpochPlan next = EpochPlan.create(t, seed, 3, 7, 3);
    assertFalse(Arrays.equals(a.step(), next.step()), "epochs are shuffled differently");
  }

  @Example
  void balancesTotalLengthNotRowCount() {
    // One sequence of 1000 steps and ten of 100, one mini-batch, two slots: by row count one slot
    // would get 6 sequences; by length the long one trains alone and the ten short ones share the
    // other slot, 1000 steps each.
    long[] ids = new long[11];
    long[] lengths = new long[11];
    for (int i = 0; i < 11; i++) {
      ids[i] = i;
      lengths[i] = i == 4 ? 1000 : 100;
    }
    EpochPlan plan = EpochPlan.create(SequenceTable.of(ids, lengths), 5, 0, 11, 2);
    long[] load = plan.slotLengths(0);
    Arrays.sort(load);
    assertArrayEquals(new long[] {1000, 1000}, load);
    int longSlot = plan.slot()[4];
    for (int i = 0; i < 11; i++) {
      if (i != 4) {
        assertTrue(
            plan.slot()[i] != longSlot, "short sequence " + i + " shares the long one's slot");
      }
    }
  }
}
