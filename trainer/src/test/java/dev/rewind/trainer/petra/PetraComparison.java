package dev.rewind.trainer.petra;

import dev.rewind.trainer.data.LongMemoryTask;
import dev.rewind.trainer.optim.AdamConfig;
import java.util.Locale;

/**
 * Trains the same reversible network with backprop and with PETRA (J = 1 .. maxStages) on a {@link
 * LongMemoryTask} from the same initial parameters and prints held-out accuracy, throughput (as a
 * ratio to backprop in the same run), peak activation bytes per stage and reconstruction errors.
 *
 * <p>Arguments (all optional, key=value): steps, delay, batch, micro (micro-batches), blocks,
 * width, hidden, stages (comma list), accumulate, lr, test (held-out sequences), seed.
 */
public final class PetraComparison {
  private PetraComparison() {}

  public static void main(String[] args) {
    java.util.Map<String, String> a = new java.util.HashMap<>();
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      a.put(kv[0], kv[1]);
    }
    int steps = Integer.parseInt(a.getOrDefault("steps", "40"));
    int delay = Integer.parseInt(a.getOrDefault("delay", "10"));
    int batch = Integer.parseInt(a.getOrDefault("batch", "16"));
    int micro = Integer.parseInt(a.getOrDefault("micro", "400"));
    int blocks = Integer.parseInt(a.getOrDefault("blocks", "4"));
    int width = Integer.parseInt(a.getOrDefault("width", "16"));
    int hidden = Integer.parseInt(a.getOrDefault("hidden", "32"));
    int accumulate = Integer.parseInt(a.getOrDefault("accumulate", "1"));
    double lr = Double.parseDouble(a.getOrDefault("lr", "0.003"));
    int testSize = Integer.parseInt(a.getOrDefault("test", "512"));
    long seed = Long.parseLong(a.getOrDefault("seed", "7"));
    boolean recurrent = Boolean.parseBoolean(a.getOrDefault("recurrent", "false"));
    String[] stageList = a.getOrDefault("stages", "1,2").split(",");
    int classes = 2;
    int cue = Math.max(1, steps / 8);
    int recall = Math.max(1, steps / 8);
    LongMemoryTask task = new LongMemoryTask(steps, delay, 10, classes, cue, 0.02, recall);
    ReversibleNetworkConfig config =
        ReversibleNetworkConfig.defaults(task.channels(), width, hidden, blocks, classes)
            .withRecurrent(recurrent);
    ReversibleNetwork network = new ReversibleNetwork(config);
    MicroBatchSource data = index -> task.generate(batch, seed * 1_000_003L + index);
    var test = task.generate(testSize, seed - 1);
    System.out.printf(
        Locale.ROOT,
        "task T=%d delay=%d batch=%d micro-batches=%d; network %d blocks, width %d, hidden %d, %d"
            + " params; Adam lr %g, accumulate %d; %d cores%n",
        steps,
        delay,
        batch,
        micro,
        blocks,
        width,
        hidden,
        network.initialise(seed).size(),
        lr,
        accumulate,
        Runtime.getRuntime().availableProcessors());
    StageConfig base = new StageConfig(1, accumulate, AdamConfig.defaults(lr), 10);
    NetworkParameters initial = network.initialise(seed);
    double backpropThroughput = 0;
    for (String kind : concat("backprop", stageList)) {
      boolean petra = !kind.equals("backprop");
      int j =
          petra
              ? Integer.parseInt(kind)
              : Math.min(blocks, Integer.parseInt(stageList[stageList.length - 1]));
      StageConfig sc = new StageConfig(j, accumulate, base.optimizer(), base.probeInterval());
      StageTrainer trainer =
          (petra ? StageTrainer.Kind.PETRA : StageTrainer.Kind.BACKPROP).create(network, sc);
      NetworkParameters p = initial.copy();
      TrainingReport r = trainer.train(p, data, 0, micro, PetraListener.NONE);
      LeakyReadout.HeadResult eval = network.evaluate(p, test);
      if (!petra) {
        backpropThroughput = r.throughput();
      }
      System.out.printf(
          Locale.ROOT,
          "%-9s J=%d: test accuracy %.2f%% loss %.4f | train loss %.4f | %.1f s, %.2f micro-batches/s"
              + " (x%.2f backprop)%n",
          petra ? "petra" : "backprop",
          j,
          100 * eval.accuracy(),
          eval.loss(),
          r.meanLoss(),
          r.seconds(),
          r.throughput(),
          r.throughput() / backpropThroughput);
      for (StageReport s : r.stages()) {
        System.out.printf(
            Locale.ROOT,
            "    stage %d: %d blocks, %d updates, peak activation bytes %d, reconstruction error"
                + " mean %.3g max %.3g (%d probes)%n",
            s.stage(),
            s.blocks(),
            s.updates(),
            s.peakActivationBytes(),
            s.meanReconstructionError(),
            s.maxReconstructionError(),
            s.probes());
      }
    }
  }

  private static String[] concat(String first, String[] rest) {
    String[] r = new String[rest.length + 1];
    r[0] = first;
    System.arraycopy(rest, 0, r, 1, rest.length);
    return r;
  }
}
