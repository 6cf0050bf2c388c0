package dev.rewind.trainer.checkpoint;

import dev.rewind.trainer.schedule.CostModel;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.Schedule;
import dev.rewind.trainer.schedule.ScheduleSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Schedules already planned in this JVM, by (spec, budget, length, cost model). Planning {@code
 * auto} or {@code two-level} for a long sequence costs seconds of dynamic programming, and a Spark
 * executor builds a fresh {@link SequenceTrainer} for every task of every step; schedules are
 * immutable, so one plan serves them all. The least recently used entries beyond {@link #CAPACITY}
 * are dropped.
 */
final class PlanCache {
  static final int CAPACITY = 64;

  private record Key(ScheduleSpec spec, MemoryBudget budget, long steps, CostModel cost) {}

  private static final Map<Key, Schedule> PLANS =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Schedule> eldest) {
          return size() > CAPACITY;
        }
      };

  private PlanCache() {}

  /** The plan of {@code spec} for {@code steps} steps, planned now or earlier in this JVM. */
  static Schedule plan(ScheduleSpec spec, MemoryBudget budget, long steps, CostModel cost) {
    Key key = new Key(spec, budget, steps, cost);
    synchronized (PLANS) {
      Schedule cached = PLANS.get(key);
      if (cached != null) {
        return cached;
      }
    }
    Schedule planned = spec.plan(steps, cost, budget);
    synchronized (PLANS) {
      PLANS.putIfAbsent(key, planned);
      return PLANS.get(key);
    }
  }
}
