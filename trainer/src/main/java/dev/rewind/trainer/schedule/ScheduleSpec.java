package dev.rewind.trainer.schedule;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A schedule named on the command line, before T and the cost model are known. Grammar: {@code
 * name} or {@code name:key=value,key=value} with whole-number values; keys are case-sensitive
 * ({@code K} and {@code k} differ):
 *
 * <pre>
 *   store-all
 *   periodic:k=100          memory checkpoint every k steps
 *   revolve:slots=10        binomial checkpointing with 10 memory slots
 *   remote:k=100            slow-tier checkpoint every k steps
 *   double:K=1000,k=32      slow-tier every K, memory every k inside
 *   two-level:slots=10      optional tape=N (taped steps held, default 1) and
 *                           max-period=N (planning bound, default 512)
 *   auto                    fastest fitting the memory budget
 * </pre>
 */
public sealed interface ScheduleSpec extends java.io.Serializable {

  /** Names accepted by {@link #parse}, with their keys, for error messages. */
  String FORMS =
      "store-all, periodic:k=N, revolve:slots=N, remote:k=N, double:K=N,k=N, "
          + "two-level:slots=N[,tape=N][,max-period=N], auto";

  /** The text {@link #parse} reads back as this spec, e.g. {@code double:K=100,k=10}. */
  default String text() {
    if (this instanceof StoreAll) {
      return "store-all";
    } else if (this instanceof Periodic p) {
      return "periodic:k=" + p.k();
    } else if (this instanceof Revolve r) {
      return "revolve:slots=" + r.slots();
    } else if (this instanceof Remote r) {
      return "remote:k=" + r.k();
    } else if (this instanceof DoubleCheckpoint d) {
      return "double:K=" + d.coarse() + ",k=" + d.fine();
    } else if (this instanceof TwoLevel t) {
      return "two-level:slots=" + t.slots() + ",tape=" + t.tape() + ",max-period=" + t.maxPeriod();
    }
    return "auto";
  }

  /** Plans the schedule for {@code steps} steps; IllegalArgumentException if it cannot fit. */
  Schedule plan(long steps, CostModel cost, MemoryBudget budget);

  /** Parses a spec; the message of a bad one names the offending part and the accepted forms. */
  static ScheduleSpec parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("expected a schedule (" + FORMS + "), got '" + text + "'");
    }
    String trimmed = text.trim();
    int colon = trimmed.indexOf(':');
    String name = colon < 0 ? trimmed : trimmed.substring(0, colon);
    Map<String, Long> values = colon < 0 ? Map.of() : parameters(trimmed.substring(colon + 1));
    switch (name) {
      case "store-all":
        keys(name, values, Set.of(), Set.of());
        return new StoreAll();
      case "periodic":
        keys(name, values, Set.of("k"), Set.of());
        return new Periodic(values.get("k"));
      case "revolve":
        keys(name, values, Set.of("slots"), Set.of());
        return new Revolve(values.get("slots"));
      case "remote":
        keys(name, values, Set.of("k"), Set.of());
        return new Remote(values.get("k"));
      case "double":
        keys(name, values, Set.of("K", "k"), Set.of());
        return new DoubleCheckpoint(values.get("K"), values.get("k"));
      case "two-level":
        keys(name, values, Set.of("slots"), Set.of("tape", "max-period"));
        return new TwoLevel(
            values.get("slots"),
            values.getOrDefault("tape", 1L),
            values.getOrDefault("max-period", (long) TwoLevelSchedule.DEFAULT_MAX_PERIOD));
      case "auto":
        keys(name, values, Set.of(), Set.of());
        return new Auto();
      default:
        throw new IllegalArgumentException(
            "unknown schedule '" + name + "' in '" + text + "', expected one of " + FORMS);
    }
  }

  private static Map<String, Long> parameters(String text) {
    Map<String, Long> values = new LinkedHashMap<>();
    for (String pair : text.split(",", -1)) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "expected key=value in schedule parameters, got '" + pair + "' in '" + text + "'");
      }
      String key = pair.substring(0, eq).trim();
      String value = pair.substring(eq + 1).trim();
      long number;
      try {
        number = Long.parseLong(value);
      } catch (NumberFormatException notANumber) {
        throw new IllegalArgumentException(
            "expected a whole number for schedule parameter " + key + ", got '" + value + "'",
            notANumber);
      }
      if (values.put(key, number) != null) {
        throw new IllegalArgumentException(
            "schedule parameter " + key + " given twice in '" + text + "'");
      }
    }
    return values;
  }

  private static void keys(
      String name, Map<String, Long> values, Set<String> required, Set<String> optional) {
    for (String key : values.keySet()) {
      if (!required.contains(key) && !optional.contains(key)) {
        throw new IllegalArgumentException(
            "unknown parameter '" + key + "' for schedule " + name + ", expected " + FORMS);
      }
    }
    for (String key : required) {
      if (!values.containsKey(key)) {
        throw new IllegalArgumentException(
            "schedule " + name + " needs parameter " + key + ", expected " + FORMS);
      }
    }
  }

  /** Checks a planned schedule against the budget. */
  private static Schedule fitting(Schedule schedule, CostModel cost, MemoryBudget budget) {
    long bytes = schedule.footprint().bytes(cost);
    if (bytes > budget.bytes()) {
      throw new BudgetExceededException(
          schedule.description()
              + " needs "
              + bytes
              + " bytes ("
              + MemoryBudget.mebibytes(bytes)
              + ") but the memory budget is "
              + budget.bytes()
              + " bytes ("
              + budget
              + ")");
    }
    return schedule;
  }

  /** {@code store-all}. */
  record StoreAll() implements ScheduleSpec {
    @Override
    public Schedule plan(long steps, CostModel cost, MemoryBudget budget) {
      return fitting(new StoreAllSchedule(steps), cost, budget);
    }
  }

  /** {@code periodic:k=N}. */
  record Periodic(long k) implements ScheduleSpec {
    public Periodic {
      PlannerChecks.atLeastOne("periodic k", k);
    }

    @Override
    public Schedule plan(long steps, CostModel cost, MemoryBudget budget) {
      return fitting(PeriodicSchedule.periodic(steps, k), cost, budget);
    }
  }

  /** {@code revolve:slots=N}. */
  record Revolve(long slots) implements ScheduleSpec {
    public Revolve {
      PlannerChecks.atLeastOne("revolve slots", slots);
    }

    @Override
    public Schedule plan(long steps, CostModel cost, MemoryBudget budget) {
      return fitting(new RevolveSchedule(steps, slots), cost, budget);
    }
  }

  /** {@code remote:k=N}. */
  record Remote(long k) implements ScheduleSpec {
    public Remote {
      PlannerChecks.atLeastOne("remote k", k);
    }

    @Override
    public Schedule plan(long steps, CostModel cost, MemoryBudget budget) {
      return fitting(PeriodicSchedule.remote(steps, k), cost, budget);
    }
  }

  /** {@code double:K=N,k=N}. */
  record DoubleCheckpoint(long coarse, long fine) implements ScheduleSpec {
    public DoubleCheckpoint {
      PlannerChecks.atLeastOne("double K", coarse);
      PlannerChecks.atLeastOne("double k", fine);
      if (fine > coarse) {
        throw new IllegalArgumentException(
            "expected double k <= K, got k=" + fine + ", K=" + coarse);
      }
    }

    @Override
    public Schedule plan(long steps, CostModel cost, MemoryBudget budget) {
      return fitting(new DoubleCheckpointSchedule(steps, coarse, fine), cost, budget);
    }
  }

  /** {@code two-level:slots=N[,tape=N][,max-period=N]}. */
  record TwoLevel(long slots, long tape, long maxPeriod) implements ScheduleSpec {
    public TwoLevel {
      if (slots < 0) {
        throw new IllegalArgumentException("expected two-level slots >= 0, got " + slots);
      }
      PlannerChecks.atLeastOne("two-level tape", tape);
      if (maxPeriod < 1 || maxPeriod > MAX_PERIOD_LIMIT) {
        throw new IllegalArgumentException(
            "expected two-level max-period in [1, " + MAX_PERIOD_LIMIT + "], got " + maxPeriod);
      }
    }

    /** Planning is quadratic to cubic in the bound: beyond this it takes minutes. */
    static final long MAX_PERIOD_LIMIT = 8192;

    @Override
    public Schedule plan(long steps, CostModel cost, MemoryBudget budget) {
      return fitting(new TwoLevelSchedule(steps, slots, tape, cost, (int) maxPeriod), cost, budget);
    }
  }

  /** {@code auto}: see {@link AutoPlanner}. */
  record Auto() implements ScheduleSpec {
    @Override
    public Schedule plan(long steps, CostModel cost, MemoryBudget budget) {
      return AutoPlanner.fastest(steps, budget, cost);
    }
  }
}
