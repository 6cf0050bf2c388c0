package dev.rewind.trainer.petra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.trainer.model.Surrogate;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class SpikingSequenceMapTest {
  private static final double GAMMA = 10;

  static SequenceMapConfig config(int in, int hidden, int out, boolean recurrent) {
    return new SequenceMapConfig(
        in, hidden, out, recurrent, Math.exp(-1.0 / 20), 1.0, new Surrogate.FastSigmoid(GAMMA));
  }

  /** Random shapes and weights: forward and VJP match the double-precision reference. */
  @Property(tries = 25)
  void matchesNaiveReference(
      @ForAll @IntRange(min = 1, max = 60) int steps,
      @ForAll @IntRange(min = 1, max = 3) int batch,
      @ForAll @IntRange(min = 1, max = 6) int in,
      @ForAll @IntRange(min = 1, max = 12) int hidden,
      @ForAll @IntRange(min = 1, max = 5) int out,
      @ForAll boolean recurrent,
      @ForAll long seed) {
    SequenceMapConfig c = config(in, hidden, out, recurrent);
    SpikingSequenceMap map = new SpikingSequenceMap(c);
    SplittableRandom r = new SplittableRandom(seed);
    float[] p = new float[map.parameterCount() + 3];
    map.initialise(p, 3, r, 3.0, 1.0);
    for (int i = 3; i < p.length; i++) {
      p[i] += (float) (0.1 * r.nextGaussian());
    }
    Tensors.excite(c, p, 3, r);
    SequenceTensor x = Tensors.random(steps, batch, in, 2.0, r);
    SequenceTensor dy = Tensors.random(steps, batch, out, 1.0, r);
    SpikeTape tape = new SpikeTape(steps, batch, hidden);
    SequenceTensor y = map.forward(p, 3, x, tape);
    float[] g = new float[map.parameterCount() + 2];
    SequenceTensor dx = map.backward(p, 3, x, tape, dy, g, 2);
    // v approaches c with time constant 20 steps: with a bias in U(0.9, 1.9) some of 8 neurons
    // cross the threshold within 45 steps except with probability below 1e-4
    if (steps >= 45 && hidden >= 8) {
      assertTrue(
          tape.spikeCount() > 0, "no spike: the comparison would be weak (seed " + seed + ")");
    }

    NaiveSequenceMap ref = new NaiveSequenceMap(c, p, 3, GAMMA);
    double[][][] xd = Tensors.toDouble(x);
    ref.forward(xd);
    // see ReversibleBlockTest: a potential at the threshold within float rounding decides the
    // spike by precision, not by the math under test
    Assume.that(ref.thresholdMargin() > 1e-5);
    assertArrayEquals(
        Tensors.flat(ref.s), Tensors.toDouble(tape.spikes), "spike trains (seed " + seed + ")");
    Tensors.assertClose("y (seed " + seed + ")", Tensors.flat(ref.y), y.data(), 1e-5);
    ref.backward(xd, Tensors.toDouble(dy));
    float[] gOnly = java.util.Arrays.copyOfRange(g, 2, g.length);
    Tensors.assertClose(
        "parameter gradients (seed " + seed + ")", ref.flatGradients(), gOnly, 1e-4);
    Tensors.assertClose("dx (seed " + seed + ")", Tensors.flat(ref.dx), dx.data(), 1e-4);
  }

  /** The output is linear in A and a: central differences in double agree with the VJP there. */
  @Property(tries = 10)
  void outputMapGradientMatchesFiniteDifferences(@ForAll long seed) {
    SequenceMapConfig c = config(3, 6, 2, true);
    SpikingSequenceMap map = new SpikingSequenceMap(c);
    SplittableRandom r = new SplittableRandom(seed);
    float[] p = new float[map.parameterCount()];
    map.initialise(p, 0, r, 3.0, 1.0);
    Tensors.excite(c, p, 0, r);
    SequenceTensor x = Tensors.random(20, 2, 3, 2.0, r);
    SequenceTensor dy = Tensors.random(20, 2, 2, 1.0, r);
    SpikeTape tape = new SpikeTape(20, 2, 6);
    map.forward(p, 0, x, tape);
    float[] g = new float[map.parameterCount()];
    map.backward(p, 0, x, tape, dy, g, 0);
    int readFrom = map.parameterCount() - (6 * 2 + 2);
    for (int i = readFrom; i < map.parameterCount(); i++) {
      double h = 0.25;
      float[] plus = p.clone();
      plus[i] += (float) h;
      float[] minus = p.clone();
      minus[i] -= (float) h;
      double fd =
          (dot(map.forward(plus, 0, x, null), dy) - dot(map.forward(minus, 0, x, null), dy))
              / (plus[i] - minus[i]);
      assertEquals(fd, g[i], 1e-4 * (1 + Math.abs(fd)), "dL/dparam[" + i + "] (seed " + seed + ")");
    }
  }

  @Property(tries = 5)
  void forwardIsDeterministicAndTapeDoesNotChangeIt(@ForAll long seed) {
    SpikingSequenceMap map = new SpikingSequenceMap(config(4, 8, 4, true));
    SplittableRandom r = new SplittableRandom(seed);
    float[] p = new float[map.parameterCount()];
    map.initialise(p, 0, r, 3.0, 1.0);
    Tensors.excite(map.config(), p, 0, r);
    SequenceTensor x = Tensors.random(30, 3, 4, 2.0, r);
    SpikeTape tape = new SpikeTape(30, 3, 8);
    assertEquals(map.forward(p, 0, x, null), map.forward(p, 0, x, tape));
    assertTrue(tape.spikeCount() > 0, "the test input should make neurons spike");
  }

  @org.junit.jupiter.api.Test
  void rejectsBadShapes() {
    SpikingSequenceMap map = new SpikingSequenceMap(config(4, 8, 4, false));
    float[] p = new float[map.parameterCount()];
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> map.forward(p, 0, SequenceTensor.zeros(3, 2, 5), null));
    assertEquals("x: expected width 4, got 5", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> map.forward(p, 0, SequenceTensor.zeros(3, 2, 4), new SpikeTape(3, 1, 8)));
    IllegalArgumentException beta =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SequenceMapConfig(4, 8, 4, false, 1.0, 1.0, new Surrogate.FastSigmoid(10)));
    assertEquals("beta: expected in (0, 1), got 1.0", beta.getMessage());
  }

  private static double dot(SequenceTensor a, SequenceTensor b) {
    double s = 0;
    for (int i = 0; i < a.data().length; i++) {
      s += (double) a.data()[i] * b.data()[i];
    }
    return s;
  }
}
