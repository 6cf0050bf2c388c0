package dev.rewind.examples.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.trainer.data.EventFrames;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RandmanTaskTest {
  private static int[][] spikeSteps(EventFrames s) {
    int[][] out = new int[s.batchSize()][s.channels()];
    int[] idx = new int[s.channels()];
    float[] val = new float[s.channels()];
    for (int b = 0; b < s.batchSize(); b++) {
      Arrays.fill(out[b], -1);
      for (int t = 0; t < s.steps(); t++) {
        int n = s.fill(t, b, idx, val);
        for (int k = 0; k < n; k++) {
          assertEquals(-1, out[b][idx[k]], "channel " + idx[k] + " spiked twice");
          assertEquals(1f, val[k]);
          out[b][idx[k]] = t;
        }
      }
    }
    return out;
  }

  @Test
  void everyChannelSpikesOnceAndClassesAreBalanced() {
    RandmanTask task = new RandmanTask(20, 3, 100, 2, 1.0, 5);
    List<EventFrames> batches = task.batches(4, 6, 9);
    assertEquals(2, batches.size());
    int[] perClass = new int[3];
    for (EventFrames b : batches) {
      assertEquals(20 * 6, b.activeCount());
      for (int[] steps : spikeSteps(b)) {
        for (int t : steps) {
          assertTrue(t >= 0 && t < 100, "step " + t);
        }
      }
      for (int i = 0; i < 6; i++) {
        perClass[b.label(i)]++;
      }
    }
    assertArrayEquals(new int[] {4, 4, 4}, perClass);
  }

  @Test
  void deterministicFromTheSeeds() {
    RandmanTask a = new RandmanTask(10, 2, 50, 1, 2.0, 3);
    RandmanTask b = new RandmanTask(10, 2, 50, 1, 2.0, 3);
    assertArrayEquals(spikeSteps(a.batches(2, 4, 1).get(0)), spikeSteps(b.batches(2, 4, 1).get(0)));
    assertTrue(
        !Arrays.deepEquals(
            spikeSteps(a.batches(2, 4, 1).get(0)), spikeSteps(a.batches(2, 4, 2).get(0))),
        "another sample seed draws other points");
    RandmanTask other = new RandmanTask(10, 2, 50, 1, 2.0, 4);
    assertTrue(
        !Arrays.equals(a.map(0, new double[] {0.3}), other.map(0, new double[] {0.3})),
        "another manifold seed gives other manifolds");
  }

  @Test
  void classesAreDifferentManifolds() {
    RandmanTask task = new RandmanTask(8, 2, 100, 1, 1.0, 11);
    assertTrue(!Arrays.equals(task.map(0, new double[] {0.5}), task.map(1, new double[] {0.5})));
  }

  /** Smooth: a small step in latent space moves every coordinate a little (seed = the seed). */
  @Property(tries = 50)
  void manifoldsAreSmoothAndInTheUnitInterval(
      @ForAll long seed,
      @ForAll @DoubleRange(min = 0, max = 0.99) double u,
      @ForAll @IntRange(min = 1, max = 3) int dim) {
    RandmanTask task = new RandmanTask(6, 2, 100, dim, 1.0, seed);
    double[] x = new double[dim];
    Arrays.fill(x, u);
    double[] y = x.clone();
    y[0] += 1e-5;
    double[] mx = task.map(1, x);
    double[] my = task.map(1, y);
    for (int j = 0; j < 6; j++) {
      assertTrue(mx[j] >= 0 && mx[j] <= 1, "coordinate " + mx[j]);
      // |f'| <= 2 pi * MODES * scale, so a 1e-5 step moves a coordinate by about 5e-4 * scale.
      assertTrue(Math.abs(mx[j] - my[j]) < 0.05, "jump " + Math.abs(mx[j] - my[j]));
    }
  }

  @Test
  void refusesBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> new RandmanTask(10, 1, 50, 1, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new RandmanTask(10, 2, 50, 0, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new RandmanTask(10, 2, 50, 1, -1, 0));
    RandmanTask task = new RandmanTask(10, 2, 50, 1, 1, 0);
    assertThrows(IllegalArgumentException.class, () -> task.batches(3, 4, 0));
    assertThrows(IllegalArgumentException.class, () -> task.map(2, new double[] {0.1}));
  }
}
