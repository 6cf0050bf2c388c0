package dev.rewind.spark.ml;

import dev.rewind.spark.CueTask;
import dev.rewind.spark.internal.train.EpochPlan;
import dev.rewind.spark.internal.train.GradientSum;
import dev.rewind.spark.internal.train.SequenceResult;
import dev.rewind.spark.internal.train.SequenceTable;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.data.DenseFrames;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.optim.LearningRateSchedule;
import dev.rewind.trainer.optim.Optimizer;
import dev.rewind.trainer.optim.OptimizerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The single-JVM reference: the Estimator's initialisation, mini-batches (the epoch plans' steps)
 * and optimizer, without Spark. {@link Gradients#BATCHED} takes each mini-batch's mean gradient
 * from one batched store-all BPTT call, as a single-JVM trainer would; {@link
 * Gradients#PER_SEQUENCE} sums per-sequence gradients in double and divides by the batch size,
 * which is the Estimator's arithmetic (each task trains one sequence at a time, {@code
 * treeAggregate} sums in double).
 */
final class SingleJvmTrainer {
  enum Gradients {
    BATCHED,
    /** As BATCHED with each mini-batch in reverse order: the same sums, rounded differently. */
    BATCHED_REVERSED,
    PER_SEQUENCE
  }

  private final long[] ids;
  private final CueTask task;
  private final ModelConfig config;
  private final long seed;
  private final int batchSize;

  /** Names sequence b by b, as plain JVM training over the task's arrays does. */
  SingleJvmTrainer(CueTask task, ModelConfig config, long seed, int batchSize) {
    this(task, config, seed, batchSize, null);
  }

  /**
   * Names sequence b by {@code ids[b]}, the Estimator's ids of the same rows, so that epochs visit
   * the sequences in the Estimator's order.
   */
  SingleJvmTrainer(CueTask task, ModelConfig config, long seed, int batchSize, long[] ids) {
    this.ids = ids;
    this.task = task;
    this.config = config;
    this.seed = seed;
    this.batchSize = batchSize;
  }

  /** The parameters after {@code epochs} epochs with {@code optimizer}. */
  float[] train(int epochs, OptimizerConfig optimizer, Gradients gradients) {
    return trajectory(epochs, optimizer, gradients, new int[0]).parameters();
  }

  /**
   * Trains {@code epochs} epochs and keeps a copy of the parameters after each global step listed
   * in {@code snapshotSteps} (1-based, ascending).
   */
  Trajectory trajectory(
      int epochs, OptimizerConfig optimizer, Gradients gradients, int[] snapshotSteps) {
    float[] params = Parameters.initialise(config, seed, InitScheme.DEFAULT).data();
    Optimizer opt = optimizer.create(params.length, LearningRateSchedule.constant());
    long[] names = new long[task.sequences];
    for (int b = 0; b < task.sequences; b++) {
      names[b] = ids == null ? b : ids[b];
    }
    List<float[]> snapshots = new ArrayList<>();
    int global = 0;
    for (int epoch = 0; epoch < epochs; epoch++) {
      for (List<Integer> members : miniBatches(names, task.steps, seed, epoch, batchSize, 1)) {
        if (gradients == Gradients.BATCHED_REVERSED) {
          java.util.Collections.reverse(members);
        }
        float[] gradient =
            gradients == Gradients.PER_SEQUENCE
                ? perSequence(params, members)
                : batched(params, members);
        opt.step(params, gradient);
        global++;
        if (snapshots.size() < snapshotSteps.length && snapshotSteps[snapshots.size()] == global) {
          snapshots.add(params.clone());
        }
      }
    }
    return new Trajectory(params, snapshots);
  }

  /**
   * Epoch {@code epoch}'s mini-batches as the Estimator's plan over {@code slots} draws them for
   * sequences of {@code steps} steps named {@code ids[b]}: per step, the positions b of its
   * sequences, ascending.
   */
  static List<List<Integer>> miniBatches(
      long[] ids, int steps, long seed, int epoch, int batchSize, int slots) {
    long[] lengths = new long[ids.length];
    java.util.Arrays.fill(lengths, steps);
    SequenceTable table = SequenceTable.of(ids, lengths);
    EpochPlan plan = EpochPlan.create(table, seed, epoch, batchSize, slots);
    List<List<Integer>> batches = new ArrayList<>();
    for (int s = 0; s < plan.steps(); s++) {
      List<Integer> members = new ArrayList<>();
      for (int b = 0; b < ids.length; b++) {
        if (plan.step()[table.indexOf(ids[b])] == s) {
          members.add(b);
        }
      }
      batches.add(members);
    }
    return batches;
  }

  private float[] batched(float[] params, List<Integer> members) {
    int n = members.size();
    int frame = task.steps * task.channels;
    float[] values = new float[n * frame];
    int[] labels = new int[n];
    for (int k = 0; k < n; k++) {
      System.arraycopy(task.frames(members.get(k)), 0, values, k * frame, frame);
      labels[k] = task.label(members.get(k));
    }
    DenseFrames frames = new DenseFrames(values, n, task.steps, task.channels, labels);
    return new StoreAllBptt(config, n).run(Parameters.wrap(config, params), frames).gradient();
  }

  private float[] perSequence(float[] params, List<Integer> members) {
    StoreAllBptt bptt = new StoreAllBptt(config, 1);
    Parameters p = Parameters.wrap(config, params);
    GradientSum sum = new GradientSum(params.length);
    for (int b : members) {
      DenseFrames frames =
          new DenseFrames(task.frames(b), 1, task.steps, task.channels, new int[] {task.label(b)});
      float[] g = bptt.run(p, frames).gradient();
      sum.add(new SequenceResult(0, 0, 1, g, 0, 0, 0, 0), 1);
    }
    return sum.meanGradient();
  }

  /** Fraction of {@code task} that {@code params} classifies correctly. */
  static double accuracy(CueTask task, ModelConfig config, float[] params) {
    DenseFrames frames =
        new DenseFrames(task.allFrames(), task.sequences, task.steps, task.channels, task.labels());
    return new StoreAllBptt(config, task.sequences)
        .evaluate(Parameters.wrap(config, params), frames)
        .accuracy();
  }

  /** Final parameters and the snapshots asked for. */
  record Trajectory(float[] parameters, List<float[]> snapshots) {}
}
