package dev.rewind.spark.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GradientSumTest {

  private static GradientSum task(SplittableRandom r, int size, int sequences) {
    float[] g = new float[size];
    for (int i = 0; i < size; i++) {
      g[i] = (float) r.nextGaussian();
    }
    return new GradientSum(size)
        .add(new SequenceResult(r.nextDouble(), 1, sequences, g, 100, 20, 5, 4096), sequences);
  }

  @Test
  void theSizelessZeroSumsTheSameBitsAsAZeroOfTheModelsSize() {
    SplittableRandom r = new SplittableRandom(12);
    GradientSum a = task(r, 1000, 3);
    GradientSum b = task(r, 1000, 5);
    GradientSum sized = new GradientSum(1000).merge(a).merge(b);
    GradientSum sizeless = GradientSum.none().merge(GradientSum.none()).merge(a).merge(b);
    assertArrayEquals(sized.meanGradient(), sizeless.meanGradient());
    assertEquals(sized.meanLoss(), sizeless.meanLoss());
    assertEquals(8, sizeless.sequences());
    assertEquals(sized.peakOnChipBytes(), sizeless.peakOnChipBytes());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> sizeless.merge(task(r, 999, 1)));
    assertEquals("gradient sum: expected 1000 values, got 999", e.getMessage());
  }
}
