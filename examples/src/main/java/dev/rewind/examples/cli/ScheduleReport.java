package dev.rewind.examples.cli;

import dev.rewind.trainer.schedule.AutoPlanner;
import dev.rewind.trainer.schedule.CostModel;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.Schedule;
import dev.rewind.trainer.schedule.ScheduleSimulator;
import dev.rewind.trainer.schedule.ScheduleSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The schedules a run could have used and what the one it used cost. For the run's model, batch,
 * sequence length and memory budget, under the cost model calibrated at its first training step:
 * the best candidate of each kind that {@link AutoPlanner} weighs within the budget, or, for a kind
 * with no fitting setting, its best setting without a budget (marked as not fitting); and the
 * schedule the run used (auto's pick, or the one named by {@code --schedule}). Predicted time is
 * per training step on one JVM (one batch's gradient over T steps) or per sequence on Spark (each
 * task's batch of one), as {@link MeasuredSchedule#predictedPer()} says; memory is the planners'
 * declared peak and the peak replayed by {@link ScheduleSimulator}. Written as {@code
 * schedules.csv}, {@code schedules.png} and {@code schedule-used.csv}.
 */
final class ScheduleReport {
  /** Kinds in report order, as the prefix of a schedule's description. */
  private static final List<String> KINDS =
      List.of("store-all", "periodic", "remote", "revolve", "double", "two-level");

  /**
   * One schedule considered.
   *
   * @param kind store-all, periodic, remote, revolve, double or two-level
   * @param schedule its description with parameters, e.g. {@code periodic(k=28)}
   * @param predictedSeconds predicted time of one training step under the cost model
   * @param declaredBytes the planners' declared peak memory (current state, slots, tape)
   * @param simulatedBytes the peak memory replayed by the simulator
   * @param recomputedSteps forward steps run beyond the first sweep
   * @param fits whether {@code declaredBytes} is within the budget
   * @param chosen whether the run used it
   */
  record Row(
      String kind,
      String schedule,
      double predictedSeconds,
      long declaredBytes,
      long simulatedBytes,
      long recomputedSteps,
      boolean fits,
      boolean chosen) {}

  private final long steps;
  private final MemoryBudget budget;
  private final List<Row> rows;
  private final String schedule;
  private final String predictedPer;
  private final String scope;
  private final List<List<Object>> figures;

  private ScheduleReport(long steps, MemoryBudget budget, List<Row> rows, MeasuredSchedule usage) {
    this.steps = steps;
    this.budget = budget;
    this.rows = List.copyOf(rows);
    this.schedule = usage.schedule();
    this.predictedPer = usage.predictedPer();
    this.scope = usage.scope();
    this.figures = List.copyOf(usage.figures());
  }

  /**
   * Plans the candidates; {@code usage} is what the run's schedule measured, its figures taken now.
   */
  static ScheduleReport of(
      long steps, MemoryBudget budget, CostModel cost, ScheduleSpec spec, MeasuredSchedule usage) {
    Map<String, AutoPlanner.Candidate> best = new LinkedHashMap<>();
    for (AutoPlanner.Candidate c : AutoPlanner.choose(steps, budget, cost).considered()) {
      best.put(kind(c.schedule()), c);
    }
    if (best.size() < KINDS.size()) {
      for (AutoPlanner.Candidate c :
          AutoPlanner.choose(steps, MemoryBudget.UNLIMITED, cost).considered()) {
        best.putIfAbsent(kind(c.schedule()), c);
      }
    }
    Schedule used = spec.plan(steps, cost, budget);
    List<Row> rows = new ArrayList<>();
    boolean usedListed = false;
    for (String kind : KINDS) {
      AutoPlanner.Candidate c = best.get(kind);
      if (c != null) {
        boolean chosen = c.schedule().description().equals(used.description());
        usedListed |= chosen;
        rows.add(row(c.schedule(), cost, budget, chosen));
      }
    }
    if (!usedListed) {
      rows.add(row(used, cost, budget, true));
    }
    return new ScheduleReport(steps, budget, rows, usage);
  }

  private static Row row(Schedule s, CostModel cost, MemoryBudget budget, boolean chosen) {
    long declared = s.footprint().bytes(cost);
    var simulated = ScheduleSimulator.simulate(s, cost);
    return new Row(
        kind(s),
        s.description(),
        s.predictedSeconds(cost),
        declared,
        simulated.peakBytes(),
        simulated.recomputedSteps(),
        declared <= budget.bytes(),
        chosen);
  }

  private static String kind(Schedule s) {
    String d = s.description();
    int paren = d.indexOf('(');
    return paren < 0 ? d : d.substring(0, paren);
  }

  List<Row> rows() {
    return rows;
  }

  /** The row of the schedule the run used. */
  Row chosen() {
    return rows.stream().filter(Row::chosen).findFirst().orElseThrow();
  }

  MemoryBudget budget() {
    return budget;
  }

  /**
   * One line for the console: the schedule used, its measured peak of tapes and checkpoints, and
   * what store-all would need for the same run under the same cost model.
   */
  String memorySummary() {
    Object measured = null;
    for (List<Object> f : figures) {
      if (f.get(0).equals("peak_schedule_bytes")) {
        measured = f.get(1);
      }
    }
    long storeAll =
        rows.stream()
            .filter(r -> r.kind().equals("store-all"))
            .mapToLong(Row::declaredBytes)
            .findFirst()
            .orElse(-1);
    return String.format(
        java.util.Locale.ROOT,
        "schedule %s: peak on-chip %s measured (%s declared), store-all would need %s; memory"
            + " budget %s",
        schedule,
        measured instanceof Number n ? MemoryBudget.mebibytes(n.longValue()) : "not measured",
        MemoryBudget.mebibytes(chosen().declaredBytes()),
        storeAll < 0 ? "?" : MemoryBudget.mebibytes(storeAll),
        budget);
  }

  /** Writes {@code schedules.csv}, {@code schedules.png} and {@code schedule-used.csv}. */
  void write(Path dir) throws IOException {
    List<List<Object>> table = new ArrayList<>();
    table.add(
        List.of(
            "kind",
            "schedule",
            "predicted_seconds_per_" + predictedPer.replace(' ', '_'),
            "declared_peak_bytes",
            "simulated_peak_bytes",
            "recomputed_steps",
            "fits_budget",
            "chosen"));
    for (Row r : rows) {
      table.add(
          List.of(
              r.kind(),
              r.schedule(),
              r.predictedSeconds(),
              r.declaredBytes(),
              r.simulatedBytes(),
              r.recomputedSteps(),
              r.fits(),
              r.chosen()));
    }
    Csv.write(dir.resolve("schedules.csv"), table);
    Csv.write(dir.resolve("schedule-used.csv"), measured());
    ScheduleChart.write(dir.resolve("schedules.png"), rows, budget, predictedPer);
  }

  /** The measured figures of the schedule used, as name/value rows. */
  List<List<Object>> measured() {
    List<List<Object>> table = new ArrayList<>();
    table.add(List.of("name", "value"));
    table.add(List.of("scope", scope));
    table.add(List.of("schedule", schedule));
    table.add(List.of("sequence_steps", steps));
    table.add(List.of("memory_budget_bytes", budget.bytes()));
    table.add(
        List.of(
            "predicted_seconds_per_" + predictedPer.replace(' ', '_'),
            chosen().predictedSeconds()));
    table.addAll(figures);
    return table;
  }

  /** An HTML section with the plot, the candidates' table and the measured figures. */
  String html() {
    StringBuilder h = new StringBuilder("<h2>Schedules</h2>\n<p>");
    h.append(
        String.format(
            Locale.ROOT,
            "T = %d steps, memory budget %s; predicted time per %s and peak memory under the"
                + " cost model calibrated on this machine. %s",
            steps,
            MemoryBudget.mebibytes(budget.bytes()),
            predictedPer,
            scope));
    h.append("</p>\n<img src=\"schedules.png\" alt=\"schedules\">\n<table><tr><th>kind</th>")
        .append("<th>schedule</th><th>predicted s/")
        .append(predictedPer)
        .append("</th><th>declared peak</th>")
        .append("<th>simulated peak</th><th>recomputed steps</th><th></th></tr>\n");
    for (Row r : rows) {
      h.append(
          String.format(
              Locale.ROOT,
              "<tr><td>%s</td><td>%s</td><td>%.4f</td><td>%s</td><td>%s</td><td>%d</td>"
                  + "<td>%s</td></tr>%n",
              r.kind(),
              r.schedule(),
              r.predictedSeconds(),
              MemoryBudget.mebibytes(r.declaredBytes()),
              MemoryBudget.mebibytes(r.simulatedBytes()),
              r.recomputedSteps(),
              (r.chosen() ? "used " : "") + (r.fits() ? "" : "over budget")));
    }
    h.append("</table>\n<h3>Measured: the schedule used</h3>\n<table>\n");
    List<List<Object>> measured = measured();
    for (List<Object> kv : measured.subList(2, measured.size())) {
      h.append("<tr><td>")
          .append(kv.get(0))
          .append("</td><td>")
          .append(Csv.format(kv.get(1)))
          .append("</td></tr>\n");
    }
    return h.append("</table>\n").toString();
  }
}
