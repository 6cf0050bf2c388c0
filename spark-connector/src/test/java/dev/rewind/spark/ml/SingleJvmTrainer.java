package dev.rewind.spark.ml;

import dev.rewind.spark.CueTask;
import dev.rewind.spark.train.EpochPlan;
import dev.rewind.spark.train.SequenceTable;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.data.DenseFrames;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.optim.AdamConfig;
import dev.rewind.trainer.optim.LearningRateSchedule;
import dev.rewind.trainer.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The single-JVM reference: the same initialisation, the same mini-batches (the epoch plans' steps)
 * and Adam, with each mini-batch's gradient from one batched store-all BPTT call.
 */
final class SingleJvmTrainer {
  private SingleJvmTrainer() {}

  static float[] train(
      CueTask task, ModelConfig config, long seed, int epochs, int batchSize, double lr) {
    float[] params = Parameters.initialise(config, seed, InitScheme.DEFAULT).data();
    Optimizer adam = AdamConfig.defaults(lr).create(params.length, LearningRateSchedule.constant());
    long[] ids = new long[task.sequences];
    long[] lengths = new long[task.sequences];
    for (int b = 0; b < task.sequences; b++) {
      ids[b] = b;
      lengths[b] = task.steps;
    }
    SequenceTable table = new SequenceTable(ids, lengths);
    for (int epoch = 0; epoch < epochs; epoch++) {
      EpochPlan plan = EpochPlan.create(table, seed, epoch, batchSize, 1);
      for (int s = 0; s < plan.steps(); s++) {
        List<Integer> members = new ArrayList<>();
        for (int b = 0; b < task.sequences; b++) {
          if (plan.step()[b] == s) {
            members.add(b);
          }
        }
        float[] gradient = batch(task, config, params, members);
        adam.step(params, gradient);
      }
    }
    return params;
  }

  private static float[] batch(
      CueTask task, ModelConfig config, float[] params, List<Integer> members) {
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

  /** Fraction of {@code task} that {@code params} classifies correctly. */
  static double accuracy(CueTask task, ModelConfig config, float[] params) {
    DenseFrames frames =
        new DenseFrames(task.allFrames(), task.sequences, task.steps, task.channels, task.labels());
    return new StoreAllBptt(config, task.sequences)
        .evaluate(Parameters.wrap(config, params), frames)
        .accuracy();
  }
}
