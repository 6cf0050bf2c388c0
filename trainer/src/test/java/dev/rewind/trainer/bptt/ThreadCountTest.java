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
import org.junit.jupiter.api.Test;

/**
 * The kernels split neuron ranges across threads, never the terms of a sum, so the forward states,
 * loss, logits and every gradient are bit-identical for 1, 2, 3 and 4 threads: random
 * configurations wide enough for 4 ranges (widths not multiples of 16, so ranges end mid-vector),
 * both surrogates, dense binary, dense real-valued and event inputs, full and truncated BPTT, LIF
 * and ALIF layers, fixed and trainable time constants.
 */
class ThreadCountTest {

  @Test
  void everyThreadCountGivesTheSameBits() {
    long base = Long.getLong("rewind.seed", 20261203L);
    for (int k = 0; k < 20; k++) {
      long seed = base + k;
      SplittableRandom r = new SplittableRandom(seed);
      // the last eight with ALIF layers, the last four with trainable time constants (MODEL_SPEC
      // v2)
      ModelConfig config = wideConfig(r, k % 2 == 0, k >= 12);
      Parameters p =
          Parameters.initialise(
              config, r.nextLong(), new InitScheme(20 + 40 * r.nextDouble(), 4.0, 1.0));
      int batch = 1 + r.nextInt(11);
      int steps = 5 + r.nextInt(30);
      FrameSource frames =
          RandomCase.frames(r, batch, steps, config.inputSize(), config.classes(), 0.02, 0.3);
      int truncation = r.nextInt(3) == 0 ? 1 + r.nextInt(steps) : 0;
      if (k >= 16) {
        RandomCase trainable = new RandomCase(seed, config, p, frames).withTrainableTimeConstants();
        config = trainable.config();
        p = trainable.parameters();
      }
      String label = "seed=" + seed + " B=" + batch + " T=" + steps + " " + config.toJson();

      StoreAllBptt one = new StoreAllBptt(config, batch, truncation, 1);
      BpttResult expected = one.run(p, frames);
      for (int threads = 2; threads <= 4; threads++) {
        StoreAllBptt many = new StoreAllBptt(config, batch, truncation, threads);
        assertEquals(threads, many.engine().threads(), "threads used, " + label);
        BpttResult actual = many.run(p, frames);
        assertEquals(expected.loss(), actual.loss(), "loss with " + threads + " threads, " + label);
        assertArrayEquals(
            expected.logits(), actual.logits(), "logits with " + threads + " threads, " + label);
        assertArrayEquals(
            expected.gradient(),
            actual.gradient(),
            "gradient with " + threads + " threads, " + label);
      }
    }
  }

  /** 2-3 layers of 512-586 neurons, random recurrence and time constants. */
  private static ModelConfig wideConfig(SplittableRandom r, boolean triangle, boolean adaptive) {
    List<LayerConfig> layers = new ArrayList<>();
    int depth = 2 + r.nextInt(2);
    for (int l = 0; l < depth; l++) {
      LayerConfig lif =
          new LayerConfig(512 + r.nextInt(75), r.nextBoolean(), 0.8 + 0.19 * r.nextDouble());
      layers.add(
          adaptive && l % 2 == 0
              ? LayerConfig.adaptive(lif.size(), lif.recurrent(), lif.beta(), 1.8, 50)
              : lif);
    }
    Surrogate surrogate =
        triangle
            ? new Surrogate.Triangle(0.2 + 0.6 * r.nextDouble())
            : new Surrogate.FastSigmoid(2 + 10 * r.nextDouble());
    return new ModelConfig(20 + r.nextInt(60), layers, 2 + r.nextInt(8), surrogate);
  }
}
