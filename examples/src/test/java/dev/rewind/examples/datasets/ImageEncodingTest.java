package dev.rewind.examples.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.trainer.data.FrameSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageEncodingTest {
  /** 3 images of 2 x 3 pixels; image i has pixel p = 40 * p + i, label i + 1. */
  private static LabelledImages images() {
    byte[] pixels = new byte[18];
    for (int i = 0; i < 3; i++) {
      for (int p = 0; p < 6; p++) {
        pixels[i * 6 + p] = (byte) (40 * p + i);
      }
    }
    return new LabelledImages(2, 3, 10, pixels, new int[] {1, 2, 3});
  }

  private static float[][] frames(FrameSource s, int b) {
    float[][] out = new float[s.steps()][s.channels()];
    int[] idx = new int[s.channels()];
    float[] val = new float[s.channels()];
    for (int t = 0; t < s.steps(); t++) {
      int n = s.fill(t, b, idx, val);
      for (int k = 0; k < n; k++) {
        out[t][idx[k]] = val[k];
      }
    }
    return out;
  }

  @Test
  void sequentialReadsPixelsInRasterOrder() {
    FrameSource s = new SequentialEncoding(1).encode(images(), 1, 2);
    assertEquals(6, s.steps());
    assertEquals(1, s.channels());
    assertEquals(2, s.batchSize());
    assertEquals(3, s.label(1));
    float[][] f = frames(s, 0);
    for (int t = 0; t < 6; t++) {
      assertEquals((40 * t + 1) / 255f, f[t][0]);
    }
  }

  @Test
  void sequentialWithSeveralPixelsPerStep() {
    FrameSource s = new SequentialEncoding(3).encode(images(), 0, 3);
    assertEquals(2, s.steps());
    assertEquals(3, s.channels());
    float[][] f = frames(s, 2);
    assertEquals((40 * 4 + 2) / 255f, f[1][1]);
    assertEquals((40 * 2 + 2) / 255f, f[0][2]);
  }

  @Test
  void sequentialRefusesANonDivisor() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new SequentialEncoding(4).steps(6));
    assertTrue(e.getMessage().contains("divisor of the 6 pixels"), e.getMessage());
  }

  @Test
  void latencySpikesOnceBrighterEarlierAndSkipsDarkPixels() {
    LatencyEncoding half = new LatencyEncoding(1001, 0.5);
    assertEquals(0, half.spikeStep(1f));
    assertEquals(1000, half.spikeStep(0.5f));
    assertEquals(-1, half.spikeStep(0.49f));
    assertEquals(500, half.spikeStep(0.75f));
    LatencyEncoding enc = new LatencyEncoding(1000, 0.2);
    FrameSource s = enc.encode(images(), 0, 3);
    assertEquals(1000, s.steps());
    assertEquals(6, s.channels());
    for (int b = 0; b < 3; b++) {
      float[][] f = frames(s, b);
      for (int p = 0; p < 6; p++) {
        float x = (40 * p + b) / 255f;
        int expected = enc.spikeStep(x);
        int spikes = 0;
        for (int t = 0; t < 1000; t++) {
          if (f[t][p] != 0) {
            spikes++;
            assertEquals(expected, t, "image " + b + " pixel " + p);
            assertEquals(1f, f[t][p]);
          }
        }
        assertEquals(expected < 0 ? 0 : 1, spikes, "image " + b + " pixel " + p);
      }
    }
  }

  @Test
  void latencyOrdersSpikesOfEqualTimeByChannel() {
    byte[] same = {(byte) 255, 0, (byte) 255, (byte) 255};
    LabelledImages img = new LabelledImages(2, 2, 10, same, new int[] {0});
    FrameSource s = new LatencyEncoding(10, 0.5).encode(img, 0, 1);
    int[] idx = new int[4];
    float[] val = new float[4];
    assertEquals(3, s.fill(0, 0, idx, val));
    assertEquals(List.of(0, 2, 3), List.of(idx[0], idx[1], idx[2]));
  }

  @Test
  void deltaSpikesOnAndOffWhereTheScanChangesByMoreThanTheThreshold() {
    // One 2 x 4 image, raster order: 0, 0.4, 0.5, 0.6 | 0.6, 0.1, 0.15, 1.0 (in 1/255 units).
    int[] levels = {0, 102, 128, 153, 153, 26, 38, 255};
    byte[] px = new byte[8];
    for (int p = 0; p < 8; p++) {
      px[p] = (byte) levels[p];
    }
    LabelledImages img = new LabelledImages(2, 4, 10, px, new int[] {7});
    DeltaEncoding enc = new DeltaEncoding(20, 0.15);
    FrameSource s = enc.encode(img, 0, 1);
    assertEquals(20, s.steps());
    assertEquals(2, s.channels());
    assertEquals(7, s.label(0));
    float[][] f = frames(s, 0);
    // Reference 0: ON at 0.4 (ref 0.4); 0.5 is within 0.15; ON at 0.6 (ref 0.6); OFF at 0.1
    // (ref 0.1); 0.15 is within 0.15; ON at 1.0.
    int[][] expected = {
      {1, DeltaEncoding.ON}, {3, DeltaEncoding.ON}, {5, DeltaEncoding.OFF}, {7, DeltaEncoding.ON}
    };
    int spikes = 0;
    for (int t = 0; t < 20; t++) {
      for (int c = 0; c < 2; c++) {
        if (f[t][c] != 0) {
          assertEquals(1f, f[t][c]);
          assertEquals(enc.stepOf(expected[spikes][0], 8), t, "spike " + spikes);
          assertEquals(expected[spikes][1], c, "spike " + spikes);
          spikes++;
        }
      }
    }
    assertEquals(expected.length, spikes);
  }

  @Test
  void deltaStretchesTheScanOverAtLeastOneStepPerPixel() {
    DeltaEncoding enc = new DeltaEncoding(1000, 0.2);
    assertEquals(0, enc.stepOf(0, 784));
    assertEquals(998, enc.stepOf(783, 784));
    for (int p = 1; p < 784; p++) {
      assertTrue(enc.stepOf(p, 784) > enc.stepOf(p - 1, 784), "pixel " + p);
    }
    assertEquals(1000, enc.steps(784));
    assertEquals(2, enc.channels(784));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new DeltaEncoding(700, 0.2).steps(784));
    assertTrue(e.getMessage().contains("expected >= the 784 pixels"), e.getMessage());
  }

  @Test
  void batchesCoverTheImagesInOrder() {
    LabelledImages img = images().first(2);
    List<FrameSource> batches = new SequentialEncoding(2).batches(img, 1);
    assertEquals(2, batches.size());
    assertEquals(1, batches.get(0).label(0));
    assertEquals(2, batches.get(1).label(0));
    assertThrows(IllegalArgumentException.class, () -> new SequentialEncoding(2).batches(img, 3));
  }

  @Test
  void refusesBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> new LatencyEncoding(100, 0));
    assertThrows(IllegalArgumentException.class, () -> new LatencyEncoding(0, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new DeltaEncoding(1000, 1));
    assertThrows(IllegalArgumentException.class, () -> new DeltaEncoding(0, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new SequentialEncoding(0));
    assertThrows(
        IllegalArgumentException.class, () -> new SequentialEncoding(1).encode(images(), 2, 2));
  }
}
