package dev.rewind.examples.datasets;

import dev.rewind.trainer.data.FrameSource;
import java.util.ArrayList;
import java.util.List;

/** Turns images into frame sequences a spiking network reads, one batch at a time. */
public interface ImageEncoding {
  /** Sequence length T for images of {@code pixels} pixels. */
  int steps(int pixels);

  /** Input channels for images of {@code pixels} pixels. */
  int channels(int pixels);

  /** Images [from, from + count) as one batch. */
  FrameSource encode(LabelledImages images, int from, int count);

  /** All images in order, cut into batches of {@code batch}; the count must be a multiple. */
  default List<FrameSource> batches(LabelledImages images, int batch) {
    if (batch < 1 || images.count() < batch || images.count() % batch != 0) {
      throw new IllegalArgumentException(
          "image count: expected a positive multiple of the batch size "
              + batch
              + ", got "
              + images.count());
    }
    List<FrameSource> out = new ArrayList<>();
    for (int from = 0; from < images.count(); from += batch) {
      out.add(encode(images, from, batch));
    }
    return out;
  }

  /** Checks the settings of a spike code: at least one step, a threshold strictly inside (0, 1). */
  static void checkSpikeCode(int steps, double threshold) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps: expected >= 1, got " + steps);
    }
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("threshold: expected in (0, 1), got " + threshold);
    }
  }

  /** Checks that [from, from + count) is a non-empty range of {@code images}. */
  static void checkRange(LabelledImages images, int from, int count) {
    if (count < 1 || from < 0 || (long) from + count > images.count()) {
      throw new IllegalArgumentException(
          "image range: expected within [0, "
              + images.count()
              + ") and non-empty, got ["
              + from
              + ", "
              + ((long) from + count)
              + ")");
    }
  }
}
