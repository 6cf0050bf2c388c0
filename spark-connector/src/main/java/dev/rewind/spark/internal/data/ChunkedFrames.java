package dev.rewind.spark.internal.data;

import dev.rewind.storage.BlobKey;
import dev.rewind.storage.BlobStore;
import dev.rewind.trainer.data.FrameSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * One sequence whose chunks live in an off-chip store, read back one chunk at a time: only the
 * chunk holding the step being read is in memory. Forward and backward passes read steps in order,
 * so each pass loads each chunk once. A store failure surfaces as an {@link UncheckedIOException}
 * naming the sequence and chunk, since {@link FrameSource#fill} cannot throw checked exceptions.
 */
final class ChunkedFrames implements FrameSource {
  private final BlobStore store;
  private final List<BlobKey> keys;
  private final ChunkShape[] shapes;
  private final int[] starts;
  private final int channels;
  private int current = -1;
  private FrameSource currentFrames;

  /**
   * @param keys where chunk i was put, in chunk order
   * @param shapes chunk i's metadata (its frames are reloaded from the store)
   */
  ChunkedFrames(BlobStore store, List<BlobKey> keys, ChunkShape[] shapes, int channels) {
    this.store = store;
    this.keys = List.copyOf(keys);
    this.shapes = shapes.clone();
    this.channels = channels;
    this.starts = new int[shapes.length + 1];
    for (int i = 0; i < shapes.length; i++) {
      starts[i + 1] = Math.addExact(starts[i], shapes[i].steps());
    }
  }

  @Override
  public int batchSize() {
    return 1;
  }

  @Override
  public int steps() {
    return starts[shapes.length];
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public int label(int b) {
    return shapes[0].label();
  }

  @Override
  public boolean hasStepLabels() {
    return shapes[0].supervision().labels() != null;
  }

  @Override
  public int stepLabel(int b, int t) {
    int chunk = chunkAt(t);
    int[] labels = shapes[chunk].supervision().labels();
    if (labels == null) {
      return FrameSource.super.stepLabel(b, t);
    }
    return labels[t - starts[chunk]];
  }

  @Override
  public int targetWidth() {
    return shapes[0].supervision().width();
  }

  @Override
  public float stepTarget(int b, int t, int c) {
    int chunk = chunkAt(t);
    StepSupervision s = shapes[chunk].supervision();
    if (s.targets() == null) {
      return FrameSource.super.stepTarget(b, t, c);
    }
    return s.targets()[(t - starts[chunk]) * s.width() + c];
  }

  @Override
  public int fill(int t, int b, int[] active, float[] values) {
    if (current < 0 || t < starts[current] || t >= starts[current + 1]) {
      load(t);
    }
    return currentFrames.fill(t - starts[current], 0, active, values);
  }

  /** The chunk that holds step {@code t}. */
  private int chunkAt(int t) {
    int found = Arrays.binarySearch(starts, t);
    int chunk = found >= 0 ? found : -found - 2;
    if (chunk < 0 || chunk >= shapes.length) {
      throw new IllegalArgumentException("step: expected in [0, " + steps() + "), got " + t);
    }
    return chunk;
  }

  private void load(int t) {
    int chunk = chunkAt(t);
    try {
      Chunk loaded = Chunk.fromBlob(shapes[chunk], store.get(keys.get(chunk)));
      currentFrames = loaded.frames(channels);
      current = chunk;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "sequence " + shapes[chunk].sequence() + ", chunk " + chunk + ": off-chip read failed",
          e);
    }
  }
}
