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

  /** Returns the test accuracy after {@code iterations}; window 0 means full BPTT. */
  double train(Parameters params, int iterations, double rate, int window, long seed, boolean log) {
    TestAdam adam = new TestAdam(params.data().length, rate);
    LifEngine engine = new LifEngine(config, batch);
    NetworkState state = new NetworkState(config, batch);
    StateAdjoint adjoint = new StateAdjoint(config, batch);
    GradientAccumulator grads = new GradientAccumulator(config);
    Tape tape = new Tape(config, batch, task.steps());
    float[] g = new float[params.data().length];
    for (int it = 0; it < iterations; it++) {
      EventFrames frames = task.generate(batch, seed + it);
      engine.loadParameters(params);
      state.reset();
      tape.clear();
      engine.advance(state, 0, task.steps(), frames, tape);
      LossResult loss = LossHead.evaluate(state, frames);
      LossHead.seed(adjoint, loss, task.steps());
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
            "iteration %d loss %.4f batch accuracy %.3f%s%n",
            it,
            loss.loss(),
            loss.accuracy(),
            it % 100 == 0 ? String.format(" test accuracy %.3f", test(params, seed - 1)) : "");
      }
    }
    return test(params, seed - 1);
  }

  double test(Parameters params, long seed) {
    StoreAllBptt eval = new StoreAllBptt(config, 256);
    return eval.evaluate(params, task.generate(256, seed)).accuracy();
  }
}
