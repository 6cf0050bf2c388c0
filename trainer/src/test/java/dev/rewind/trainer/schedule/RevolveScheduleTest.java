package dev.rewind.trainer.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RevolveScheduleTest {

  private static final CostModel COST = TestCosts.unit();

  @Property(tries = 120)
  void recomputesExactlyTheBinomialMinimum(
      @ForAll @LongRange(min = 1, max = 10_000) long steps,
      @ForAll @LongRange(min = 1, max = 40) long slots) {
    RevolveSchedule schedule = new RevolveSchedule(steps, slots);
    if (slots == 1 && steps > 2000) {
      return; // quadratic: covered for shorter chains
    }
    SimulationReport report = SegmentedSchedulesTest.checked(schedule);
    assertEquals(binomialRecomputations(steps, slots), report.recomputedSteps());
    assertTrue(report.peakMemorySlots() <= slots);
    assertEquals(1, report.peakTapeSteps());
  }

  @Property(tries = 100)
  void manySlotsNeedOneSweepOnly(@ForAll @LongRange(min = 1, max = 3000) long steps) {
    SimulationReport report = SegmentedSchedulesTest.checked(new RevolveSchedule(steps, steps));
    assertEquals(steps - 1, report.recomputedSteps());
  }

  @Test
  void binomialFormulaMatchesTheRecurrenceOnSmallChains() {
    int maxSteps = 80;
    int maxSlots = 8;
    long[][] best = new long[maxSlots + 1][maxSteps + 1];
    for (int c = 1; c <= maxSlots; c++) {
      for (int l = 1; l <= maxSteps; l++) {
        if (l == 1) {
          best[c][l] = 0;
        } else if (c == 1) {
          best[c][l] = (long) l * (l - 1) / 2;
        } else {
          long min = Long.MAX_VALUE;
          for (int j = 1; j < l; j++) {
            min = Math.min(min, j + best[c - 1][l - j] + best[c][j]);
          }
          best[c][l] = min;
        }
        assertEquals(best[c][l], Binomial.minimalUntapedSteps(l, c), "l=" + l + ", c=" + c);
        if (c >= 2 && l >= 2) {
          long j = Binomial.split(l, c);
          assertEquals(best[c][l], j + best[c - 1][(int) (l - j)] + best[c][(int) j]);
        }
      }
    }
  }

  @Test
  void knownSmallCase() {
    // T = 10, s = 3: beta(3, 2) = 10, so r = 2 and 2 * 10 - beta(4, 1) = 15 recomputations
    SimulationReport report = ScheduleSimulator.simulate(new RevolveSchedule(10, 3), COST);
    assertEquals(15, report.recomputedSteps());
  }

  @Test
  void predictsLongChainsWithoutGeneratingThem() {
    RevolveSchedule schedule = new RevolveSchedule(10_000_000, 100);
    double predicted = schedule.predictedSeconds(COST);
    assertTrue(predicted > COST.storeAllSeconds(10_000_000));
  }

  @Test
  @Timeout(10)
  void predictsOneSlotInLinearTime() {
    // T(T-1)/2 recomputations with one slot, found without a quadratic search for r
    long steps = 2_000_000;
    RevolveSchedule schedule = new RevolveSchedule(steps, 1);
    double expected = steps * (steps - 1) / 2.0 + steps * 5.0; // memory access is free here
    TestCosts.assertClose(expected, schedule.predictedSeconds(COST), "one slot");
  }

  /** r T - beta(c + 1, r - 1), from ALGORITHMS.md, computed here independently. */
  private static long binomialRecomputations(long steps, long slots) {
    long r = 0;
    while (choose(slots + r, slots) < steps) {
      r++;
    }
    return r * steps - (r == 0 ? 0 : choose(slots + r, slots + 1));
  }

  private static long choose(long n, long k) {
    java.math.BigInteger value = java.math.BigInteger.ONE;
    for (long i = 1; i <= k; i++) {
      value =
          value
              .multiply(java.math.BigInteger.valueOf(n - k + i))
              .divide(java.math.BigInteger.valueOf(i));
    }
    return value.min(java.math.BigInteger.valueOf(Long.MAX_VALUE)).longValueExact();
  }
}
