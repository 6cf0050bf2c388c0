package dev.rewind.spark.ml;

import dev.rewind.spark.CueTask;
import dev.rewind.trainer.data.LongMemoryTask;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.optim.AdamConfig;
import dev.rewind.trainer.optim.OptimizerConfig;
import dev.rewind.trainer.optim.SgdConfig;

/**
 * Prints, per seed of {@link LongMemoryEstimatorTest}, how far apart the single-JVM trainer's
 * parameters drift under three ways of computing the same mean gradient (batched, batched in
 * reverse order, per-sequence summed in double) with plain SGD, SGD with momentum and Adam, and the
 * held-out accuracies. Run with {@code MAIN=dev.rewind.spark.ml.TrajectoryExperiment
 * spark-connector/run-benchmark.sh [seeds]}.
 */
public final class TrajectoryExperiment {
  private TrajectoryExperiment() {}

  public static void main(String[] args) {
    int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    LongMemoryTask task = new LongMemoryTask(40, 20, 20, 2, 10, 0.02, 10);
    ModelConfig config =
        new SpikingSequenceClassifier()
            .setNumChannels(20)
            .setNumClasses(2)
            .setLayers(64)
            .modelConfig();
    int[] at = {1, 10, 20, 40, 80, 120};
    OptimizerConfig[] optimizers = {
      SgdConfig.plain(0.5), new SgdConfig(10, 0.9, false, 0), AdamConfig.defaults(0.05)
    };
    for (int k = 1; k <= seeds; k++) {
      CueTask train = CueTask.of(task.generate(256, 10L * k + 1));
      CueTask test = CueTask.of(task.generate(128, 10L * k + 2));
      long seed = 10L * k + 7;
      float[] init = Parameters.initialise(config, seed, InitScheme.DEFAULT).data();
      SingleJvmTrainer trainer = new SingleJvmTrainer(train, config, seed, 32);
      for (OptimizerConfig opt : optimizers) {
        SingleJvmTrainer.Trajectory a =
            trainer.trajectory(15, opt, SingleJvmTrainer.Gradients.BATCHED, at);
        SingleJvmTrainer.Trajectory r =
            trainer.trajectory(15, opt, SingleJvmTrainer.Gradients.BATCHED_REVERSED, at);
        SingleJvmTrainer.Trajectory b =
            trainer.trajectory(15, opt, SingleJvmTrainer.Gradients.PER_SEQUENCE, at);
        System.out.printf(
            "seed %d %s: accuracy batched %.4f, reversed %.4f, per-sequence %.4f%n",
            k,
            opt,
            SingleJvmTrainer.accuracy(test, config, a.parameters()),
            SingleJvmTrainer.accuracy(test, config, r.parameters()),
            SingleJvmTrainer.accuracy(test, config, b.parameters()));
        System.out.println("  step  batched-vs-per-sequence  batched-vs-reversed");
        for (int i = 0; i < at.length; i++) {
          System.out.printf(
              "  %4d  %.1e  %.1e%n",
              at[i],
              BatchedGradientTrajectoryTest.relativeDistance(
                  a.snapshots().get(i), b.snapshots().get(i), init),
              BatchedGradientTrajectoryTest.relativeDistance(
                  a.snapshots().get(i), r.snapshots().get(i), init));
        }
      }
    }
  }
}
