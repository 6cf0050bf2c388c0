package dev.rewind.spark.internal.data;

import dev.rewind.storage.Blob;
import dev.rewind.trainer.data.FrameSource;
import java.io.Serializable;

/**
 * One row's worth of one labelled sequence: {@link #steps()} consecutive frames starting where
 * chunk {@link #index()} - 1 ended, with the labels or targets of those steps where the loss head
 * reads per-step supervision. A sequence given as one row is the single chunk 0. Immutable; chunks
 * cross the wire (Kryo, see {@code RewindKryoRegistrator}).
 */
public sealed interface Chunk extends Serializable permits DenseChunk, EventChunk {
  /** The sequence this chunk belongs to (a dense index assigned at ingestion, >= 0). */
  long sequence();

  /** Position of this chunk in its sequence, from 0. */
  int index();

  int label();

  int steps();

  /** What this chunk carries at each step for a per-step loss head. */
  StepSupervision supervision();

  /** This chunk alone as a batch of one sequence over {@code channels} input channels. */
  FrameSource frames(int channels);

  /** The frames as a storage blob, for the off-chip tier. */
  Blob toBlob();

  /** This chunk's identity and length without its frames. */
  default ChunkShape shape() {
    return new ChunkShape(sequence(), index(), label(), steps(), supervision());
  }

  /** A chunk of {@code shape} whose frames are {@code blob}, as written by {@link #toBlob()}. */
  static Chunk fromBlob(ChunkShape shape, Blob blob) {
    if (blob instanceof dev.rewind.storage.FloatBlock f) {
      return new DenseChunk(
          shape.sequence(),
          shape.index(),
          shape.label(),
          shape.steps(),
          f.shape()[1],
          f.data(),
          shape.supervision());
    }
    if (blob instanceof dev.rewind.storage.IntBlock i) {
      int[] both = i.data();
      int n = both.length / 2;
      return new EventChunk(
          shape.sequence(),
          shape.index(),
          shape.label(),
          shape.steps(),
          java.util.Arrays.copyOfRange(both, 0, n),
          java.util.Arrays.copyOfRange(both, n, 2 * n),
          shape.supervision());
    }
    throw new IllegalArgumentException(
        "chunk frames of sequence "
            + shape.sequence()
            + ", chunk "
            + shape.index()
            + ": expected a float or int block, got "
            + blob.kind());
  }
}
