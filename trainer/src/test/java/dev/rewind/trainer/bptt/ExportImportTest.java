package dev.rewind.trainer.bptt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.ModelConfig;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * What a storage layer will do: take a state and taped steps apart into plain arrays (spikes as 0/1
 * masks or index lists), rebuild them in fresh objects, and carry on. The result must be
 * bit-identical to never having moved them.
 */
class ExportImportTest {

  @Test
  void statesAndTapesRebuiltFromArraysGiveIdenticalGradients() {
    long base = Long.getLong("rewind.seed", 2024L);
    for (int k = 0; k < 20; k++) {
      RandomCase c = RandomCase.draw(base + k, 50);
      FrameSource frames = c.frames();
      ModelConfig cfg = c.config();
      int batch = frames.batchSize();
      int steps = frames.steps();
      int mid = steps / 2;
      BpttResult expected = new StoreAllBptt(cfg, batch).run(c.parameters(), frames);

      LifEngine engine = new LifEngine(cfg, batch);
      engine.loadParameters(c.parameters());
      NetworkState state = new NetworkState(cfg, batch);
      engine.advance(state, 0, mid, frames, null);
      NetworkState atMid = rebuild(cfg, state);
      Tape first = new Tape(cfg, batch, Math.max(1, mid));
      NetworkState replay = rebuild(cfg, new NetworkState(cfg, batch));
      engine.advance(replay, 0, mid, frames, first);
      Tape second = new Tape(cfg, batch, Math.max(1, steps - mid));
      engine.advance(atMid, mid, steps, frames, second);
      LossResult loss = LossHead.evaluate(atMid, frames, cfg.loss());
      StateAdjoint adjoint = new StateAdjoint(cfg, batch);
      LossHead.seed(adjoint, loss, steps, cfg.loss());
      GradientAccumulator grads = new GradientAccumulator(cfg);
      engine.reverse(copyOf(cfg, batch, second), steps, mid, frames, adjoint, grads);
      engine.reverse(copyOf(cfg, batch, first), mid, 0, frames, adjoint, grads);

      String where = "replay with -Drewind.seed: " + c;
      assertEquals(expected.loss(), loss.loss(), 0.0, where);
      assertArrayEquals(expected.gradient(), grads.toArray(), where);
    }
  }

  /** Through plain arrays: membranes and readouts copied, spikes through 0/1 masks. */
  static NetworkState rebuild(ModelConfig cfg, NetworkState s) {
    NetworkState out = new NetworkState(cfg, s.batch());
    for (int l = 0; l < s.depth(); l++) {
      float[] v = Arrays.copyOf(s.membrane(l), s.membrane(l).length);
      System.arraycopy(v, 0, out.membrane(l), 0, v.length);
      float[] mask = new float[s.batch() * s.width(l)];
      s.spikeMask(l, mask);
      out.setSpikesFromMask(l, mask);
    }
    System.arraycopy(s.readout(), 0, out.readout(), 0, s.readout().length);
    System.arraycopy(s.readoutSum(), 0, out.readoutSum(), 0, s.readoutSum().length);
    out.setStep(s.step());
    out.checkConsistent();
    return out;
  }

  /** A new tape filled step by step from copies of the used parts of the arrays. */
  static Tape copyOf(ModelConfig cfg, int batch, Tape tape) {
    Tape out = new Tape(cfg, batch, tape.capacity());
    out.beginAt(tape.firstStep(), tape.previous(tape.firstStep()));
    for (int t = tape.firstStep(); t < tape.endStep(); t++) {
      TapeStep src = tape.step(t);
      TapeStep dst = out.append();
      for (int l = 0; l < src.depth(); l++) {
        dst.loadSpikes(
            l,
            Arrays.copyOf(src.spikeOffsets(l), batch + 1),
            Arrays.copyOf(src.spikeIndices(l), src.spikeTotal(l)));
        if (src.sparseSurrogate()) {
          int n = src.surrogateTotal(l);
          dst.loadSurrogateSparse(
              l,
              Arrays.copyOf(src.surrogateOffsets(l), batch + 1),
              Arrays.copyOf(src.surrogateIndices(l), n),
              Arrays.copyOf(src.surrogateValues(l), n));
        } else {
          dst.loadSurrogateDense(l, Arrays.copyOf(src.surrogateDense(l), src.surrogateTotal(l)));
        }
      }
    }
    return out;
  }
}
