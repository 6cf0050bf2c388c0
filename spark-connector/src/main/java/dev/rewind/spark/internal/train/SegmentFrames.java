package dev.rewind.spark.internal.train;

import dev.rewind.spark.internal.data.Chunk;
import dev.rewind.trainer.data.FrameSource;
import java.util.List;

/**
 * Steps {@code [from, to)} of one sequence read from the chunks that hold them (in memory: the
 * segment's rows of the cached layout), in the segment's own time 0 to {@code to - from}.
 */
final class SegmentFrames implements FrameSource {
  private final FrameSource[] chunks;
  private final long[] starts;
  private final long from;
  private final int steps;
  private final int channels;
  private final int label;

  /**
   * @param chunks the sequence's chunks overlapping the segment, in index order
   * @param starts the first step of each of them in the sequence
   */
  SegmentFrames(List<Chunk> chunks, long[] starts, long from, long to, int channels) {
    if (chunks.isEmpty()
        || starts[0] > from
        || starts[chunks.size() - 1] + chunks.get(chunks.size() - 1).steps() < to) {
      throw new IllegalStateException(
          "segment ["
              + from
              + ", "
              + to
              + ") of sequence "
              + (chunks.isEmpty() ? "?" : chunks.get(0).sequence())
              + ": its chunks do not cover it");
    }
    this.chunks = new FrameSource[chunks.size()];
    for (int i = 0; i < chunks.size(); i++) {
      this.chunks[i] = chunks.get(i).frames(channels);
    }
    this.starts = starts.clone();
    this.from = from;
    this.steps = Math.toIntExact(to - from);
    this.channels = channels;
    this.label = chunks.get(0).label();
  }

  @Override
  public int batchSize() {
    return 1;
  }

  @Override
  public int steps() {
    return steps;
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public int label(int b) {
    return label;
  }

  @Override
  public boolean hasStepLabels() {
    return chunks[0].hasStepLabels();
  }

  @Override
  public int stepLabel(int b, int t) {
    int i = chunkAt(t, b);
    return chunks[i].stepLabel(0, (int) (from + t - starts[i]));
  }

  @Override
  public int targetWidth() {
    return chunks[0].targetWidth();
  }

  @Override
  public float stepTarget(int b, int t, int c) {
    int i = chunkAt(t, b);
    return chunks[i].stepTarget(0, (int) (from + t - starts[i]), c);
  }

  @Override
  public int fill(int t, int b, int[] active, float[] values) {
    int i = chunkAt(t, b);
    return chunks[i].fill((int) (from + t - starts[i]), 0, active, values);
  }

  /** The chunk that holds the segment's step {@code t}. */
  private int chunkAt(int t, int b) {
    FrameSource.checkFrameIndex(this, t, b);
    long step = from + t;
    int i = chunks.length - 1;
    while (starts[i] > step) {
      i--;
    }
    return i;
  }
}
