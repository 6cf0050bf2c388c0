package dev.rewind.trainer.learning;

import dev.rewind.trainer.data.LongMemoryTask;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.Surrogate;
import java.util.List;

/**
 * Command-line runner for {@link LongMemoryTrainer} experiments (docs/LEARNING.md). Arguments, in
 * order: steps, delay, membrane time constant tau (beta = exp(-1/tau)), neurons, truncation window
 * (0 = full BPTT), iterations, Adam rate, feed-forward init scale, cue length, recall window,
 * readout init scale, fast-sigmoid gamma, batch, distractor rate.
 */
public final class LearningProbe {
  private LearningProbe() {}

  public static void main(String[] a) {
    int steps = Integer.parseInt(a[0]);
    int delay = Integer.parseInt(a[1]);
    double beta = Math.exp(-1.0 / Double.parseDouble(a[2]));
    int n = Integer.parseInt(a[3]);
    int window = Integer.parseInt(a[4]);
    int iters = Integer.parseInt(a[5]);
    double lr = Double.parseDouble(a[6]);
    double inScale = Double.parseDouble(a[7]);
    LongMemoryTask task =
        new LongMemoryTask(
            steps,
            delay,
            20,
            2,
            Integer.parseInt(a[8]),
            Double.parseDouble(a[13]),
            Integer.parseInt(a[9]));
    ModelConfig cfg =
        new ModelConfig(
            20,
            List.of(new LayerConfig(n, true, beta)),
            2,
            new Surrogate.FastSigmoid(Double.parseDouble(a[11])));
    Parameters p =
        Parameters.initialise(cfg, 1, new InitScheme(inScale, 1, Double.parseDouble(a[10])));
    long t0 = System.nanoTime();
    double acc =
        new LongMemoryTrainer(task, cfg, Integer.parseInt(a[12]))
            .train(p, iters, lr, window, 1000, true);
    System.out.printf("test accuracy %.3f in %.1f s%n", acc, (System.nanoTime() - t0) / 1e9);
  }
}
