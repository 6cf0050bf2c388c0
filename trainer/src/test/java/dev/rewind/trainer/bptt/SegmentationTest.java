package dev.rewind.trainer.bptt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.Surrogate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Any split of [0, T) into segments, run as a checkpointing schedule would (forward without tape
 * keeping copies of the boundary states, then per segment from last to first: restore, re-advance
 * with a tape, reverse), gives loss, logits and gradients bit-identical to store-all BPTT.
 */
class SegmentationTest {

  @Test
  void segmentedRunsAreBitIdenticalToStoreAll() {
    long base = Long.getLong("rewind.seed", 4242L);
    for (int k = 0; k < 60; k++) {
      RandomCase c = RandomCase.draw(base + k, 80);
      SplittableRandom r = new SplittableRandom(c.seed() * 31 + 7);
      for (int rep = 0; rep < 3; rep++) {
        checkSplit(c, cuts(r, c.frames().steps()));
      }
    }
  }

  @Test
  void largeDenseLayersThroughGemmAreBitIdenticalToo() {
    long seed = Long.getLong("rewind.seed", 99L);
    for (Surrogate surrogate :
        List.<Surrogate>of(new Surrogate.FastSigmoid(10), new Surrogate.Triangle(0.5))) {
      ModelConfig big =
          new ModelConfig(
              40, List.of(new LayerConfig(160, true), new LayerConfig(130, false)), 3, surrogate);
      SplittableRandom r = new SplittableRandom(seed);
      FrameSource frames = RandomCase.frames(r, 2, 40, big.inputSize(), big.classes());
      RandomCase c =
          new RandomCase(seed, big, Parameters.initialise(big, seed, InitScheme.DEFAULT), frames);
      checkSplit(c, cuts(r, 40));
    }
  }

  /**
   * The backward pass reverses chunks of steps layer by layer (one product into the layer below per
   * chunk): a segment per step, so chunks of one step, gives the bits of store-all's chunks.
   */
  @Test
  void oneStepSegmentsGiveTheBitsOfWholeChunks() {
    long seed = Long.getLong("rewind.seed", 123L);
    for (Surrogate surrogate :
        List.<Surrogate>of(new Surrogate.FastSigmoid(10), new Surrogate.Triangle(0.5))) {
      ModelConfig big =
          new ModelConfig(
              30,
              List.of(
                  new LayerConfig(150, true),
                  new LayerConfig(140, false),
                  new LayerConfig(70, true)),
              4,
              surrogate);
      SplittableRandom r = new SplittableRandom(seed);
      FrameSource frames = RandomCase.frames(r, 9, 70, big.inputSize(), big.classes());
      RandomCase c =
          new RandomCase(seed, big, Parameters.initialise(big, seed, InitScheme.DEFAULT), frames);
      List<Integer> everyStep = new ArrayList<>();
      for (int t = 0; t <= frames.steps(); t++) {
        everyStep.add(t);
      }
      checkSplit(c, everyStep);
    }
  }

  static List<Integer> cuts(SplittableRandom r, int steps) {
    TreeSet<Integer> set = new TreeSet<>();
    set.add(0);
    set.add(steps);
    int n = r.nextInt(1 + Math.min(steps, 8));
    for (int i = 0; i < n; i++) {
      set.add(r.nextInt(steps + 1));
    }
    return new ArrayList<>(set);
  }

  static void checkSplit(RandomCase c, List<Integer> cuts) {
    FrameSource frames = c.frames();
    int batch = frames.batchSize();
    int steps = frames.steps();
    ModelConfig cfg = c.config();
    BpttResult expected = new StoreAllBptt(cfg, batch).run(c.parameters(), frames);

    LifEngine engine = new LifEngine(cfg, batch);
    engine.loadParameters(c.parameters());
    NetworkState running = new NetworkState(cfg, batch);
    List<NetworkState> boundaries = new ArrayList<>();
    for (int s = 0; s + 1 < cuts.size(); s++) {
      NetworkState copy = new NetworkState(cfg, batch);
      copy.copyFrom(running);
      boundaries.add(copy);
      NetworkState next = new NetworkState(cfg, batch);
      engine.advance(running, cuts.get(s), cuts.get(s + 1), frames, null);
      next.copyFrom(running);
      running = next;
    }
    LossResult loss = LossHead.evaluate(running, frames, cfg.loss());
    StateAdjoint adjoint = new StateAdjoint(cfg, batch);
    LossHead.seed(adjoint, loss, steps, cfg.loss());
    GradientAccumulator grads = new GradientAccumulator(cfg);
    Tape tape = new Tape(cfg, batch, steps);
    NetworkState work = new NetworkState(cfg, batch);
    for (int s = cuts.size() - 2; s >= 0; s--) {
      work.copyFrom(boundaries.get(s));
      tape.clear();
      engine.advance(work, cuts.get(s), cuts.get(s + 1), frames, tape);
      StateAdjoint moved = new StateAdjoint(cfg, batch);
      moved.copyFrom(adjoint);
      engine.reverse(tape, cuts.get(s + 1), cuts.get(s), frames, moved, grads);
      adjoint = moved;
    }
    String where = "cuts " + cuts + ", replay with -Drewind.seed: " + c;
    assertEquals(0, adjoint.step(), where);
    assertEquals(expected.loss(), loss.loss(), 0.0, where);
    assertArrayEquals(expected.logits(), loss.logits(), where);
    assertArrayEquals(expected.gradient(), grads.toArray(), where);
  }
}
