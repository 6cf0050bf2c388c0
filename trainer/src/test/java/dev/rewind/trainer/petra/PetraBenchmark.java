package dev.rewind.trainer.petra;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.trainer.data.LongMemoryTask;
import dev.rewind.trainer.optim.AdamConfig;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.ScheduleSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Throughput (micro-batches per second) of PETRA with J = 1, 2, ... against backprop on the same
 * network, measured in the same run: one discarded warm-up round, then {@code rounds} rounds in
 * which every trainer runs {@code micro} micro-batches in turn, so all of them see the same machine
 * load. Prints each trainer's median throughput, its ratio to backprop's median, and the peak
 * activation bytes per stage.
 *
 * <p>Arguments (key=value, all optional): steps, batch, width, hidden, blocks, stages (comma list
 * of J), micro, rounds, accumulate, seed, schedule (a {@link ScheduleSpec}: PETRA is also run with
 * F and G under that checkpoint schedule inside its stages, off-chip checkpoints in a temporary
 * local-disk store), budget (the in-stage memory budget, default 512m).
 */
public final class PetraBenchmark {
  private PetraBenchmark() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      a.put(kv[0], kv[1]);
    }
    int steps = Integer.parseInt(a.getOrDefault("steps", "100"));
    int batch = Integer.parseInt(a.getOrDefault("batch", "16"));
    int width = Integer.parseInt(a.getOrDefault("width", "32"));
    int hidden = Integer.parseInt(a.getOrDefault("hidden", "64"));
    int blocks = Integer.parseInt(a.getOrDefault("blocks", "4"));
    int micro = Integer.parseInt(a.getOrDefault("micro", "16"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "3"));
    int accumulate = Integer.parseInt(a.getOrDefault("accumulate", "2"));
    long seed = Long.parseLong(a.getOrDefault("seed", "3"));
    String schedule = a.get("schedule");
    MemoryBudget budget = MemoryBudget.parse(a.getOrDefault("budget", "512m"));
    int[] stageCounts =
        Arrays.stream(a.getOrDefault("stages", "1,2").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    int backpropStages = Arrays.stream(stageCounts).max().orElse(1);

    LongMemoryTask task = new LongMemoryTask(steps, steps / 4, 20, 2, steps / 8, 0.02, steps / 8);
    ReversibleNetwork network =
        new ReversibleNetwork(
            ReversibleNetworkConfig.defaults(task.channels(), width, hidden, blocks, 2)
                .withRecurrent(true));
    MicroBatchSource data = i -> task.generate(batch, seed * 31 + i);
    NetworkParameters initial = network.initialise(seed);
    System.out.printf(
        Locale.ROOT,
        "PETRA benchmark: T=%d B=%d, %d blocks (half width %d, %d recurrent LIF per F/G), %d params,"
            + " k=%d, %d micro-batches x %d rounds, %d cores, Java %s%n",
        steps,
        batch,
        blocks,
        width,
        hidden,
        initial.size(),
        accumulate,
        micro,
        rounds,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));

    Path offchip = Files.createTempDirectory("petra-benchmark-");
    try (BlobStore store = BlobStores.localDisk(offchip)) {
      run(
          initial,
          network,
          data,
          stageCounts,
          backpropStages,
          accumulate,
          micro,
          rounds,
          schedule == null
              ? null
              : new InStageSchedule(ScheduleSpec.parse(schedule), budget, store));
    } finally {
      try (var paths = Files.walk(offchip)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  private static void run(
      NetworkParameters initial,
      ReversibleNetwork network,
      MicroBatchSource data,
      int[] stageCounts,
      int backpropStages,
      int accumulate,
      int micro,
      int rounds,
      InStageSchedule inStage) {
    List<String> names = new ArrayList<>();
    List<StageTrainer> trainers = new ArrayList<>();
    names.add("backprop (J=" + backpropStages + " split)");
    trainers.add(
        new BackpropTrainer(
            network, new StageConfig(backpropStages, accumulate, AdamConfig.defaults(1e-3), 0)));
    for (int variant = 0; variant < (inStage == null ? 1 : 2); variant++) {
      for (int j : stageCounts) {
        StageConfig config = new StageConfig(j, accumulate, AdamConfig.defaults(1e-3), 0);
        names.add("petra J=" + j + (variant > 0 ? " " + inStage.schedule() : ""));
        trainers.add(new PetraTrainer(network, variant > 0 ? config.withInStage(inStage) : config));
      }
    }
    double[][] throughput = new double[trainers.size()][rounds];
    List<List<StageReport>> memory = new ArrayList<>();
    for (int round = -1; round < rounds; round++) {
      for (int i = 0; i < trainers.size(); i++) {
        TrainingReport r =
            trainers.get(i).train(initial.copy(), data, 0, micro, PetraListener.NONE);
        if (round >= 0) {
          throughput[i][round] = r.throughput();
        } else {
          memory.add(r.stages());
        }
      }
    }
    double base = median(throughput[0]);
    for (int i = 0; i < trainers.size(); i++) {
      double m = median(throughput[i]);
      System.out.printf(
          Locale.ROOT,
          "%-26s median %.2f micro-batches/s  x%.2f backprop  rounds %s%n",
          names.get(i),
          m,
          m / base,
          format(throughput[i]));
      for (StageReport s : memory.get(i)) {
        System.out.printf(
            Locale.ROOT,
            "    stage %d (%d blocks): peak activation bytes %,d in memory, %,d off-chip%n",
            s.stage(),
            s.blocks(),
            s.peakActivationBytes(),
            s.peakOffchipBytes());
      }
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
  }

  private static String format(double[] v) {
    StringBuilder b = new StringBuilder();
    for (double x : v) {
      b.append(String.format(Locale.ROOT, "%.2f ", x));
    }
    return b.toString().trim();
  }
}
