package dev.rewind.trainer.bptt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.trainer.data.DenseFrames;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.Surrogate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Truncated BPTT ({@code --truncate K}): the engine cuts the adjoint where the hand-written
 * reference does, over random configurations; a window of T or more is full BPTT bit for bit; and
 * the cut really removes the long-range part of the gradient.
 */
class TruncationTest {

  @Test
  void matchesTheHandWrittenTruncatedReference() {
    long base = Long.getLong("rewind.seed", 20261202L);
    for (int k = 0; k < 60; k++) {
      RandomCase c = RandomCase.draw(base + k, 40);
      int window = 1 + (int) Math.floorMod(base + k, Math.max(1, c.frames().steps()));
      ReferenceGradientTest.check(c, window);
    }
  }

  @Test
  void aWindowOfTheWholeSequenceIsFullBpttBitForBit() {
    RandomCase c = RandomCase.draw(Long.getLong("rewind.seed", 9L), 30);
    int steps = c.frames().steps();
    int batch = c.frames().batchSize();
    BpttResult full = new StoreAllBptt(c.config(), batch).run(c.parameters(), c.frames());
    BpttResult window = new StoreAllBptt(c.config(), batch, steps).run(c.parameters(), c.frames());
    assertArrayEquals(full.gradient(), window.gradient());
    assertEquals(full.loss(), window.loss());
  }

  /**
   * One neuron, no recurrence, an input pulse at t = 0 only: the input weight's gradient comes
   * through the membrane from t = 0 to the end, so a 1-step window leaves only the t = 0 term,
   * which is computed by hand here.
   */
  @Test
  void cutsTheGradientThroughTimeWhereItSays() {
    ModelConfig config =
        new ModelConfig(
            1, List.of(new LayerConfig(1, false, 0.9)), 2, new Surrogate.FastSigmoid(10), 1.0, 0.5);
    Parameters p = Parameters.initialise(config, 1, InitScheme.DEFAULT);
    int steps = 4;
    float[] x = new float[steps];
    x[0] = 1;
    DenseFrames frames = new DenseFrames(x, 1, steps, 1, new int[] {0});
    BpttResult full = new StoreAllBptt(config, 1).run(p, frames);
    BpttResult cut = new StoreAllBptt(config, 1, 1).run(p, frames);
    int w1 = p.layout().view("W1").offset();
    // With K = 1 only step 0's own terms reach W1 (x_t = 0 afterwards): dL/dW1 = dL/dc_0 * x_0
    // with dL/dc_0 = (1 - beta) * sg(v_0) * (dL/ds_0 from the readout at t = 0 alone).
    float w = p.data()[w1];
    double v0 = (1 - 0.9) * (w * 1.0 + p.data()[p.layout().view("b1").offset()]);
    double sg = 1 / Math.pow(1 + 10 * Math.abs(v0 - 1.0), 2);
    double[] probs = softmax(full.logits());
    int wo = p.layout().view("Wo").offset();
    double dsReadout = 0;
    for (int c = 0; c < 2; c++) {
      double dLogit = probs[c] - (c == 0 ? 1 : 0);
      dsReadout += p.data()[wo + c] * (1 - 0.5) * dLogit / steps;
    }
    double expected = (1 - 0.9) * sg * dsReadout * 1.0;
    assertEquals(expected, cut.gradient()[w1], 1e-5 * Math.max(1e-3, Math.abs(expected)));
    assertTrue(
        Math.abs(full.gradient()[w1] - cut.gradient()[w1]) > 1e-4 * Math.abs(full.gradient()[w1]),
        "the full gradient also carries later steps' terms: " + full.gradient()[w1]);
  }

  @Test
  void aNegativeWindowIsRefusedNamingIt() {
    ModelConfig config =
        new ModelConfig(1, List.of(new LayerConfig(1, false)), 2, new Surrogate.FastSigmoid(10));
    var e = assertThrows(IllegalArgumentException.class, () -> new StoreAllBptt(config, 1, -1));
    assertTrue(e.getMessage().startsWith("truncation"), e.getMessage());
  }

  private static double[] softmax(float[] logits) {
    double max = Math.max(logits[0], logits[1]);
    double a = Math.exp(logits[0] - max);
    double b = Math.exp(logits[1] - max);
    return new double[] {a / (a + b), b / (a + b)};
  }
}
