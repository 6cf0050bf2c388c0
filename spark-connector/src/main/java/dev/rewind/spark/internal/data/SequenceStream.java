package dev.rewind.spark.internal.data;

import dev.rewind.storage.BlobKey;
import dev.rewind.storage.BlobStore;
import dev.rewind.trainer.data.FrameSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Turns chunks sorted by (sequence, chunk index) into whole sequences without holding a long one in
 * memory: a sequence of one chunk is used as it is; the chunks of a longer one are put in the
 * off-chip store as they stream past (under the task attempt's own key namespace) and read back one
 * at a time by the frame source. Checks that each sequence's chunks are 0, 1, 2, ... and agree on
 * the label.
 */
public final class SequenceStream implements Iterator<SequenceStream.Sequence> {
  /** A whole sequence, ready for the trainer. */
  public record Sequence(long id, FrameSource frames, int chunks) {}

  private static final String TENSOR = "input";
  private final Iterator<Chunk> chunks;
  private final int channels;
  private final BlobStore store;
  private final String run;
  private final long attempt;
  private Chunk next;
  private final List<BlobKey> spilled = new ArrayList<>();

  /**
   * @param store the task attempt's off-chip store, closed by the caller (closing removes what this
   *     stream spilled)
   * @param run the training run's name, part of every key
   * @param attempt the Spark task attempt id, so a retried task never reads or removes another
   *     attempt's blobs
   */
  public SequenceStream(
      Iterator<Chunk> chunks, int channels, BlobStore store, String run, long attempt) {
    this.chunks = chunks;
    this.channels = channels;
    this.store = store;
    this.run = run;
    this.attempt = attempt;
    this.next = chunks.hasNext() ? chunks.next() : null;
  }

  @Override
  public boolean hasNext() {
    return next != null;
  }

  /**
   * The next sequence. Throws IllegalArgumentException for out-of-order chunks or mixed labels and
   * an {@link java.io.UncheckedIOException} when spilling fails.
   */
  @Override
  public Sequence next() {
    if (next == null) {
      throw new NoSuchElementException("no more sequences");
    }
    Chunk first = advance();
    expectIndex(first, 0);
    if (next == null || next.sequence() != first.sequence()) {
      return new Sequence(first.sequence(), first.frames(channels), 1);
    }
    List<BlobKey> keys = new ArrayList<>();
    List<ChunkShape> shapes = new ArrayList<>();
    spill(first, keys, shapes);
    while (next != null && next.sequence() == first.sequence()) {
      Chunk c = advance();
      expectIndex(c, shapes.size());
      if (c.label() != first.label()) {
        throw new IllegalArgumentException(
            "sequence "
                + first.sequence()
                + ", chunk "
                + c.index()
                + ": expected label "
                + first.label()
                + " (as chunk 0), got "
                + c.label());
      }
      spill(c, keys, shapes);
    }
    FrameSource frames =
        new ChunkedFrames(store, keys, shapes.toArray(new ChunkShape[0]), channels);
    return new Sequence(first.sequence(), frames, shapes.size());
  }

  private Chunk advance() {
    Chunk c = next;
    next = chunks.hasNext() ? chunks.next() : null;
    return c;
  }

  private void spill(Chunk c, List<BlobKey> keys, List<ChunkShape> shapes) {
    BlobKey key = new BlobKey(run, attempt, c.sequence(), c.index(), TENSOR);
    try {
      store.put(key, c.toBlob());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "sequence " + c.sequence() + ", chunk " + c.index() + ": off-chip write failed", e);
    }
    keys.add(key);
    spilled.add(key);
    shapes.add(c.shape());
  }

  /**
   * Removes the chunks this stream spilled, once their sequences are computed: the store may serve
   * later steps of the task.
   */
  public void deleteSpilled() throws IOException {
    for (BlobKey key : spilled) {
      store.delete(key);
    }
    spilled.clear();
  }

  private static void expectIndex(Chunk c, int expected) {
    if (c.index() != expected) {
      throw new IllegalArgumentException(
          "sequence "
              + c.sequence()
              + ": expected chunk index "
              + expected
              + ", got "
              + c.index()
              + " (chunk indices must be 0, 1, 2, ... without gaps or repeats)");
    }
  }
}
