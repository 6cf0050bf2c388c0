package dev.rewind.trainer.checkpoint;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.internal.calibration.CostCalibrator;
import dev.rewind.trainer.internal.lif.CheckpointExecutor;
import dev.rewind.trainer.internal.runner.ExecutorSettings;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.schedule.AutoPlanner;
import dev.rewind.trainer.schedule.CostModel;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.RunMetrics;
import dev.rewind.trainer.schedule.Schedule;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Time per training step (one exact gradient) and peak memory of every schedule on the reference
 * setting ({@link ReferenceRun}) at several T, as ratios to store-all BPTT measured in the same run
 * where it fits. Slow tier: local disk under the output directory. Each schedule kind is the best
 * of its kind that fits the budget (min(store-all / 4, 256 MiB)) under the calibrated cost model,
 * as {@link AutoPlanner} finds it; "auto" is its overall choice. Every gradient is checked
 * bit-identical to store-all's where store-all ran.
 *
 * <p>Run (from the repository root, on a fresh clone too):
 *
 * <pre>
 * MAIN=dev.rewind.trainer.checkpoint.ScheduleBenchmark JAVA_OPTS="-Dreps=2 -Xmx3g" \
 *   trainer/run-benchmark.sh docs/bench 1000 10000
 * </pre>
 *
 * {@code -Dkinds=double,auto} restricts the schedules run. Writes {@code schedules.csv} and {@code
 * schedules.png} to the output directory.
 */
public final class ScheduleBenchmark {
  private static final long BUDGET_CAP = 256L << 20;

  private ScheduleBenchmark() {}

  record Row(
      int steps,
      String kind,
      String schedule,
      double seconds,
      double predictedSeconds,
      long accountedBytes,
      long sampledHeapBytes,
      long recomputed,
      double blockedSeconds,
      long slowBytes,
      boolean exact) {

    /** This row with the larger sampled heap of the two (buffers reused after a first run). */
    Row withHeap(Row other) {
      long heap =
          other == null ? sampledHeapBytes : Math.max(sampledHeapBytes, other.sampledHeapBytes);
      return new Row(
          steps,
          kind,
          schedule,
          seconds,
          predictedSeconds,
          accountedBytes,
          heap,
          recomputed,
          blockedSeconds,
          slowBytes,
          exact);
    }
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "docs/bench");
    int[] lengths =
        args.length > 1
            ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
            : new int[] {1000, 10000};
    Files.createDirectories(out);
    Parameters parameters = ReferenceRun.parameters();
    List<Row> rows = new ArrayList<>();
    try (BlobStore disk = BlobStores.localDisk(out.resolve("slow-tier"));
        CheckpointExecutor executor =
            new CheckpointExecutor(
                ReferenceRun.config(), ReferenceRun.BATCH, disk, ExecutorSettings.DEFAULT)) {
      CostModel cost =
          new CostCalibrator(
                  out.resolve("calibration"), 64, Runtime.getRuntime().availableProcessors())
              .calibrate(parameters, ReferenceRun.frames(64), disk, "local-disk")
              .toCostModel();
      System.out.println("calibrated: " + cost);
      // warm-up at the smallest length
      executor.run(
          parameters,
          ReferenceRun.frames(200),
          new dev.rewind.trainer.schedule.StoreAllSchedule(200));
      for (int steps : lengths) {
        rows.addAll(measure(steps, parameters, executor, cost));
        write(out, rows);
      }
    }
    plot(out, rows, lengths);
  }

  private static List<Row> measure(
      int steps, Parameters parameters, CheckpointExecutor executor, CostModel cost)
      throws Exception {
    long storeAllBytes = cost.bytes(0, steps);
    MemoryBudget budget = new MemoryBudget(Math.min(storeAllBytes / 4, BUDGET_CAP));
    AutoPlanner.Choice choice = AutoPlanner.choose(steps, budget, cost);
    System.out.println("T=" + steps + " budget " + budget + ": auto -> " + choice.explanation());
    Map<String, Schedule> runs = new LinkedHashMap<>();
    boolean storeAllFits = storeAllBytes < Runtime.getRuntime().maxMemory() * 6 / 10;
    if (storeAllFits) {
      runs.put("store-all", null);
    }
    for (AutoPlanner.Candidate candidate : choice.considered()) {
      String kind = candidate.schedule().description().replaceAll("\\(.*", "");
      if (!kind.equals("store-all")) {
        runs.putIfAbsent(kind, candidate.schedule());
      }
    }
    runs.put("auto", choice.schedule());
    String only = System.getProperty("kinds", "");
    if (!only.isEmpty()) {
      runs.keySet().retainAll(List.of(only.split(",")));
    }
    // repetitions interleave the schedules, so that a burst of load on the shared machine hits
    // all of them alike; each keeps its fastest repetition
    Map<String, Row> best = new LinkedHashMap<>();
    BpttResult reference = null;
    StoreAllBptt storeAll = new StoreAllBptt(ReferenceRun.config(), ReferenceRun.BATCH);
    for (int rep = 0; rep < repeats(steps); rep++) {
      for (Map.Entry<String, Schedule> run : runs.entrySet()) {
        Row row;
        if (run.getValue() == null) {
          long start = System.nanoTime();
          long sampled;
          try (ReferenceRun.HeapSampler heap = new ReferenceRun.HeapSampler()) {
            reference = storeAll.run(parameters, ReferenceRun.frames(steps));
            sampled = heap.peakAboveBaseline();
          }
          row =
              new Row(
                  steps,
                  "store-all",
                  "store-all",
                  (System.nanoTime() - start) / 1e9,
                  cost.storeAllSeconds(steps),
                  storeAllBytes,
                  sampled,
                  0,
                  0,
                  0,
                  true);
        } else {
          CheckpointResult result;
          long sampled;
          try (ReferenceRun.HeapSampler heap = new ReferenceRun.HeapSampler()) {
            result = executor.run(parameters, ReferenceRun.frames(steps), run.getValue(), cost);
            sampled = heap.peakAboveBaseline();
          }
          if (reference != null
              && (reference.loss() != result.loss()
                  || !Arrays.equals(reference.gradient(), result.gradient()))) {
            throw new AssertionError(run.getValue().description() + " differs from store-all");
          }
          RunMetrics m = result.metrics();
          row =
              new Row(
                  steps,
                  run.getKey(),
                  m.schedule(),
                  m.measuredSeconds(),
                  m.predictedSeconds(),
                  m.peakBytes() + executor.stateBytes(),
                  sampled,
                  m.recomputedSteps(),
                  m.blockedIoNanos() / 1e9,
                  m.slowBytesWritten() + m.slowBytesRead(),
                  reference != null);
        }
        print(row);
        Row previous = best.get(run.getKey());
        if (previous == null || row.seconds() < previous.seconds()) {
          best.put(run.getKey(), row.withHeap(previous));
        } else {
          best.put(run.getKey(), previous.withHeap(row));
        }
      }
    }
    return new ArrayList<>(best.values());
  }

  /** Repetitions: {@code -Dreps=N}, else 5 below 5000 steps, 2 up to 20000, 1 above. */
  private static int repeats(int steps) {
    return Integer.getInteger("reps", steps < 5000 ? 5 : steps <= 20000 ? 2 : 1);
  }

  private static void print(Row r) {
    System.out.printf(
        Locale.ROOT,
        "T=%d %-10s %-40s %8.2f s (pred %8.2f) mem %8.1f MiB heap %8.1f MiB recomputed %d"
            + " blocked %.2f s%n",
        r.steps(),
        r.kind(),
        r.schedule(),
        r.seconds(),
        r.predictedSeconds(),
        r.accountedBytes() / 1048576.0,
        r.sampledHeapBytes() / 1048576.0,
        r.recomputed(),
        r.blockedSeconds());
  }

  private static void write(Path out, List<Row> rows) throws IOException {
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("schedules.csv")))) {
      w.println(
          "T,kind,schedule,seconds,predicted_seconds,accounted_bytes,sampled_heap_bytes,"
              + "recomputed_steps,blocked_seconds,slow_bytes,checked_exact,time_ratio,memory_ratio");
      for (Row r : rows) {
        Row base = storeAll(rows, r.steps());
        w.printf(
            Locale.ROOT,
            "%d,%s,\"%s\",%.4f,%.4f,%d,%d,%d,%.4f,%d,%b,%s,%s%n",
            r.steps(),
            r.kind(),
            r.schedule(),
            r.seconds(),
            r.predictedSeconds(),
            r.accountedBytes(),
            r.sampledHeapBytes(),
            r.recomputed(),
            r.blockedSeconds(),
            r.slowBytes(),
            r.exact(),
            base == null ? "" : String.format(Locale.ROOT, "%.3f", r.seconds() / base.seconds()),
            base == null
                ? ""
                : String.format(
                    Locale.ROOT, "%.4f", (double) r.accountedBytes() / base.accountedBytes()));
      }
    }
  }

  private static Row storeAll(List<Row> rows, int steps) {
    return rows.stream()
        .filter(r -> r.steps() == steps && r.kind().equals("store-all"))
        .findFirst()
        .orElse(null);
  }

  private static void plot(Path out, List<Row> rows, int[] lengths) throws IOException {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(900)
            .height(500)
            .title("Time per training step / store-all (reference config, slow tier: local disk)")
            .xAxisTitle("schedule")
            .yAxisTitle("time ratio to store-all")
            .build();
    List<String> kinds =
        rows.stream().map(Row::kind).filter(k -> !k.equals("store-all")).distinct().toList();
    for (int steps : lengths) {
      Row base = storeAll(rows, steps);
      if (base == null) {
        continue;
      }
      List<Double> ratios = new ArrayList<>();
      for (String kind : kinds) {
        ratios.add(
            rows.stream()
                .filter(r -> r.steps() == steps && r.kind().equals(kind))
                .mapToDouble(r -> r.seconds() / base.seconds())
                .findFirst()
                .orElse(0));
      }
      chart.addSeries("T=" + steps, kinds, ratios);
    }
    BitmapEncoder.saveBitmap(
        chart, out.resolve("schedules.png").toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
