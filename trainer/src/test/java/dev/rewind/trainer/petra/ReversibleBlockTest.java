package dev.rewind.trainer.petra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ReversibleBlockTest {
  /** Well above the float rounding of potentials near 1 after 40 steps of sums. */
  private static final double MARGIN = 1e-5;

  private static ReversibleBlock block(int width, int hidden, boolean recurrent) {
    return new ReversibleBlock(SpikingSequenceMapTest.config(width, hidden, width, recurrent));
  }

  /** inverse(forward(x)) == x up to the rounding of one add and one subtract per entry. */
  @Property(tries = 20)
  void inverseRebuildsTheInput(
      @ForAll @IntRange(min = 1, max = 60) int steps,
      @ForAll @IntRange(min = 1, max = 8) int width,
      @ForAll boolean recurrent,
      @ForAll long seed) {
    ReversibleBlock block = block(width, 16, recurrent);
    SplittableRandom r = new SplittableRandom(seed);
    float[] p = new float[block.parameterCount()];
    block.initialise(p, 0, r, 3.0, 1.0);
    exciteBoth(SpikingSequenceMapTest.config(width, 16, width, recurrent), p, r);
    Activation x = Tensors.randomPair(steps, 2, width, 2.0, r);
    Activation y = block.forward(p, 0, x);
    Activation back = block.inverse(p, 0, y);
    double error = back.relativeError(x);
    System.out.printf("seed %d: relative reconstruction error %.3g%n", seed, error);
    assertTrue(error < 1e-6, "relative reconstruction error " + error + " (seed " + seed + ")");
  }

  /**
   * PETRA's backward (rebuild from the output, recompute, VJP) against the stored backward and
   * against the double-precision reference applied to the coupling by hand.
   */
  @Property(tries = 15)
  void backwardFromOutputMatchesStoredAndReference(
      @ForAll @IntRange(min = 1, max = 40) int steps,
      @ForAll @IntRange(min = 1, max = 6) int width,
      @ForAll boolean recurrent,
      @ForAll long seed) {
    int hidden = 10;
    ReversibleBlock block = block(width, hidden, recurrent);
    SplittableRandom r = new SplittableRandom(seed);
    float[] p = new float[block.parameterCount()];
    block.initialise(p, 0, r, 3.0, 1.0);
    exciteBoth(SpikingSequenceMapTest.config(width, hidden, width, recurrent), p, r);
    Activation x = Tensors.randomPair(steps, 2, width, 2.0, r);
    Activation dy = Tensors.randomPair(steps, 2, width, 1.0, r);

    ReversibleBlock.StoredBlock stored = block.forwardStored(p, 0, x);
    assertEquals(block.forward(p, 0, x), stored.output(), "stored forward == plain forward");
    float[] gStored = new float[p.length];
    Activation dxStored = block.backwardStored(p, 0, stored, dy, gStored, 0);

    float[] gRebuilt = new float[p.length];
    ReversibleBlock.Reconstructed rebuilt =
        block.backwardFromOutput(p, 0, stored.output(), dy, gRebuilt, 0);
    assertTrue(rebuilt.input().relativeError(x) < 1e-6, "rebuilt input (seed " + seed + ")");

    // reference: y1 = x1 + F(x2); y2 = x2 + G(y1), in double, parameters F then G
    SequenceMapConfig c = SpikingSequenceMapTest.config(width, hidden, width, recurrent);
    int half = p.length / 2;
    NaiveSequenceMap f = new NaiveSequenceMap(c, p, 0, 10);
    NaiveSequenceMap g = new NaiveSequenceMap(c, p, half, 10);
    double[][][] x1 = Tensors.toDouble(x.first());
    double[][][] x2 = Tensors.toDouble(x.second());
    f.forward(x2);
    double[][][] y1 = add(x1, f.y);
    g.forward(y1);
    // a potential within float rounding of the threshold may spike in one precision only: the
    // spike train itself would differ, which no gradient tolerance can absorb
    Assume.that(f.thresholdMargin() > MARGIN && g.thresholdMargin() > MARGIN);
    g.backward(y1, Tensors.toDouble(dy.second()));
    double[][][] dy1 = add(Tensors.toDouble(dy.first()), g.dx);
    f.backward(x2, dy1);
    double[][][] dx2 = add(Tensors.toDouble(dy.second()), f.dx);
    double[] gRef = concat(f.flatGradients(), g.flatGradients());

    Tensors.assertClose("stored grads (seed " + seed + ")", gRef, gStored, 1e-4);
    Tensors.assertClose("rebuilt grads (seed " + seed + ")", gRef, gRebuilt, 1e-4);
    Tensors.assertClose(
        "dx1 (seed " + seed + ")", Tensors.flat(dy1), dxStored.first().data(), 1e-4);
    Tensors.assertClose(
        "dx2 (seed " + seed + ")", Tensors.flat(dx2), dxStored.second().data(), 1e-4);
    Tensors.assertClose(
        "rebuilt dx2 (seed " + seed + ")",
        Tensors.flat(dx2),
        rebuilt.inputGradient().second().data(),
        1e-4);
  }

  /** With inputs on a float grid coarse enough, the add/subtract is exact and so is everything. */
  @Property(tries = 10)
  void exactOnCoarseGrid(@ForAll long seed) {
    ReversibleBlock block = block(4, 12, true);
    SplittableRandom r = new SplittableRandom(seed);
    float[] p = new float[block.parameterCount()];
    block.initialise(p, 0, r, 3.0, 1.0);
    exciteBoth(SpikingSequenceMapTest.config(4, 12, 4, true), p, r);
    // F/G outputs are sums of float weights; rounding parameters and inputs to multiples of 2^-8
    // (small magnitudes) makes y = x + F(x2) exact, so the inverse is exact too.
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.round(p[i] * 256f) / 256f;
    }
    Activation x = Tensors.randomPair(25, 2, 4, 2.0, r);
    for (SequenceTensor t : new SequenceTensor[] {x.first(), x.second()}) {
      for (int i = 0; i < t.data().length; i++) {
        t.data()[i] = Math.round(t.data()[i] * 256f) / 256f;
      }
    }
    Activation dy = Tensors.randomPair(25, 2, 4, 1.0, r);
    ReversibleBlock.StoredBlock stored = block.forwardStored(p, 0, x);
    assertEquals(x, block.inverse(p, 0, stored.output()));
    float[] gStored = new float[p.length];
    Activation dxStored = block.backwardStored(p, 0, stored, dy, gStored, 0);
    float[] gRebuilt = new float[p.length];
    ReversibleBlock.Reconstructed rebuilt =
        block.backwardFromOutput(p, 0, stored.output(), dy, gRebuilt, 0);
    assertArrayEquals(gStored, gRebuilt, "bit-identical gradients (seed " + seed + ")");
    assertEquals(dxStored, rebuilt.inputGradient());
  }

  /** Makes F and G spike often (see {@link Tensors#excite}). */
  private static void exciteBoth(SequenceMapConfig c, float[] p, SplittableRandom r) {
    Tensors.excite(c, p, 0, r);
    Tensors.excite(c, p, p.length / 2, r);
  }

  private static double[][][] add(double[][][] a, double[][][] b) {
    double[][][] r = new double[a.length][a[0].length][a[0][0].length];
    for (int t = 0; t < a.length; t++) {
      for (int i = 0; i < a[0].length; i++) {
        for (int k = 0; k < a[0][0].length; k++) {
          r[t][i][k] = a[t][i][k] + b[t][i][k];
        }
      }
    }
    return r;
  }

  private static double[] concat(double[] a, double[] b) {
    double[] r = new double[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
