package dev.rewind.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameSourceTest {

  @Test
  void eventsAreSortedPerStepAndDuplicatesCounted() {
    EventFrames f =
        new EventFrames(
            4, 5, new int[][] {{1, 1, 1, 3}}, new int[][] {{4, 0, 4, 2}}, new int[] {0});
    int[] idx = new int[5];
    float[] val = new float[5];
    assertEquals(0, f.fill(0, 0, idx, val));
    assertEquals(2, f.fill(1, 0, idx, val));
    assertArrayEquals(new int[] {0, 4}, Arrays.copyOf(idx, 2));
    assertArrayEquals(new float[] {1f, 2f}, Arrays.copyOf(val, 2));
    assertEquals(1, f.fill(3, 0, idx, val));
    assertEquals(2, idx[0]);
  }

  @Test
  void denseFramesSkipZeros() {
    float[] x = {0, 1.5f, 0, -2f, 0, 0};
    DenseFrames f = new DenseFrames(x, 1, 2, 3, new int[] {1});
    int[] idx = new int[3];
    float[] val = new float[3];
    assertEquals(1, f.fill(0, 0, idx, val));
    assertEquals(1, idx[0]);
    assertEquals(1, f.fill(1, 0, idx, val));
    assertEquals(0, idx[0]);
    assertEquals(-2f, val[0]);
  }

  @Test
  void longMemoryTaskIsDeterministicAndBalanced() {
    LongMemoryTask task = new LongMemoryTask(300, 150, 20, 2, 50, 0.02, 50);
    EventFrames a = task.generate(64, 9);
    EventFrames b = task.generate(64, 9);
    EventFrames c = task.generate(64, 10);
    int ones = 0;
    for (int i = 0; i < 64; i++) {
      assertEquals(a.label(i), b.label(i));
      ones += a.label(i);
    }
    assertEquals(a.activeCount(), b.activeCount());
    assertNotEquals(a.activeCount(), c.activeCount());
    org.junit.jupiter.api.Assertions.assertTrue(ones > 16 && ones < 48, "labels " + ones);
  }
}
