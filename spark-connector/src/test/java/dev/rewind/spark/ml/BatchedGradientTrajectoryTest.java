package dev.rewind.spark.ml;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.spark.CueTask;
import dev.rewind.trainer.data.LongMemoryTask;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.optim.SgdConfig;
import org.junit.jupiter.api.Test;

/**
 * Batched BPTT (one call per mini-batch, the single-JVM way) and per-sequence gradients summed in
 * double (the Estimator's way) compute the same mean gradient up to float summation order. With
 * plain SGD, 120 steps on the long-memory task keep the two parameter trajectories within {@value
 * #BOUND} of the distance travelled: no systematic difference accumulates. (At this learning rate
 * plain SGD does not learn the task in 120 steps; runs that learn, with Adam or SGD with momentum,
 * separate once spikes flip, as do two single-JVM runs that differ only in summation order, so
 * {@link LongMemoryEstimatorTest} compares their accuracy over seeds instead.)
 */
class BatchedGradientTrajectoryTest {
  private static final double BOUND = 1e-5;

  @Test
  void sgdTrajectoriesStayWithinRounding() {
    long seed = 17;
    System.out.println("long-memory task seed 11, model seed " + seed);
    CueTask train = CueTask.of(new LongMemoryTask(40, 20, 20, 2, 10, 0.02, 10).generate(256, 11));
    ModelConfig config =
        new SpikingSequenceClassifier()
            .setNumChannels(20)
            .setNumClasses(2)
            .setLayers(64)
            .modelConfig();
    float[] init = Parameters.initialise(config, seed, InitScheme.DEFAULT).data();
    SingleJvmTrainer trainer = new SingleJvmTrainer(train, config, seed, 32);
    int[] at = {1, 10, 40, 120};
    SgdConfig sgd = SgdConfig.plain(0.5);
    SingleJvmTrainer.Trajectory batched =
        trainer.trajectory(15, sgd, SingleJvmTrainer.Gradients.BATCHED, at);
    SingleJvmTrainer.Trajectory perSequence =
        trainer.trajectory(15, sgd, SingleJvmTrainer.Gradients.PER_SEQUENCE, at);
    for (int i = 0; i < at.length; i++) {
      double d = relativeDistance(batched.snapshots().get(i), perSequence.snapshots().get(i), init);
      System.out.printf(
          "SGD step %d: |batched - per-sequence| / |per-sequence - init| = %.2e%n", at[i], d);
      assertTrue(d <= BOUND, "step " + at[i] + ": expected <= " + BOUND + ", got " + d);
    }
  }

  /** |a - b| / |b - init| in the Euclidean norm. */
  static double relativeDistance(float[] a, float[] b, float[] init) {
    double d = 0;
    double n = 0;
    for (int i = 0; i < a.length; i++) {
      d += Math.pow((double) a[i] - b[i], 2);
      n += Math.pow((double) b[i] - init[i], 2);
    }
    return Math.sqrt(d / n);
  }
}
