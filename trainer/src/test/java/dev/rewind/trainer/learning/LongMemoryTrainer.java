package dev.rewind.trainer.learning;

import dev.rewind.trainer.bptt.GradientAccumulator;
import dev.rewind.trainer.bptt.LifEngine;
import dev.rewind.trainer.bptt.LossHead;
import dev.rewind.trainer.bptt.LossResult;
import dev.rewind.trainer.bptt.NetworkState;
import dev.rewind.trainer.bptt.StateAdjoint;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.bptt.Tape;
import dev.rewind.trainer.data.EventFrames;
import dev.rewind.trainer.data.LongMemoryTask;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;

/**
 * Trains on a {@link LongMemoryTask} with full BPTT or truncated BPTT (the adjoint is cut at the
 * start of every window of {@code window} steps, counted back from the end), a fresh batch per
 * iteration, and reports test accuracy on a held-out batch.
 */
final class LongMemoryTrainer {
  private final LongMemoryTask task;
  private final ModelConfig config;
  private final int batch;

  LongMemoryTrainer(LongMemoryTask task, ModelConfig config, int batch) {
    this.task = task;
    this.config = config;
    this.batch = batch;
  }

  /**
   * Returns the test accuracy after {@code iterations}; window 0 means full BPTT. The Adam rate
   * drops to a quarter for the last 40% of the iterations (the task's loss is noisy near the
   * solution). Every 100 iterations the parameters are scored on a validation batch (seed - 2,
   * disjoint from training and test); the best-scoring ones are kept in {@code params} at the end,
   * and the test batch (seed - 1) is only used for the reported accuracy.
   */
  double train(Parameters params, int iterations, double rate, int window, long seed, boolean log) {
    TestAdam adam = new TestAdam(params.data().length, rate);
    LifEngine engine = new LifEngine(config, batch);
    NetworkState state = new NetworkState(config, batch);
    StateAdjoint adjoint = new StateAdjoint(config, batch);
    GradientAccumulator grads = new GradientAccumulator(config);
    Tape tape = new Tape(config, batch, task.steps());
    float[] g = new float[params.data().length];
    float[] best = params.data().clone();
    double bestValidation = -1;
    for (int it = 0; it <= iterations; it++) {
      if (it % 100 == 0 || it == iterations) {
        double validation = test(params, seed - 2);
        if (log) {
          System.out.printf("iteration %d validation accuracy %.3f%n", it, validation);
        }
        if (validation > bestValidation) {
          bestValidation = validation;
          System.arraycopy(params.data(), 0, best, 0, best.length);
        }
        if (it == iterations) {
          break;
        }
      }
      if (it == iterations * 6 / 10) {
        adam.setRate(rate / 4);
      }
      EventFrames frames = task.generate(batch, seed + it);
      engine.loadParameters(params);
      state.reset();
      tape.clear();
      engine.advance(state, 0, task.steps(), frames, tape);
      LossResult loss = LossHead.evaluate(state, frames, config.loss());
      LossHead.seed(adjoint, loss, task.steps(), config.loss());
      grads.clear();
      int end = task.steps();
      while (end > 0) {
        int start = window == 0 ? 0 : Math.max(0, end - window);
        engine.reverse(tape, end, start, frames, adjoint, grads);
        adjoint.cutHistory();
        end = start;
      }
      grads.flatten(g);
      adam.step(params.data(), g);
      if (log && it % 20 == 0) {
        System.out.printf(
            "iteration %d loss %.4f batch accuracy %.3f%n", it, loss.loss(), loss.accuracy());
      }
    }
    System.arraycopy(best, 0, params.data(), 0, best.length);
    if (log) {
      System.out.printf("best validation accuracy %.3f%n", bestValidation);
    }
    return test(params, seed - 1);
  }

  double test(Parameters params, long seed) {
    StoreAllBptt eval = new StoreAllBptt(config, 256);
    return eval.evaluate(params, task.generate(256, seed)).accuracy();
  }
}
