package dev.rewind.trainer.data;

import dev.rewind.storage.Blob;
import dev.rewind.storage.BlobKey;
import dev.rewind.storage.BlobStore;
import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.SpikeFrame;
import dev.rewind.trainer.internal.runner.BlockedTime;
import dev.rewind.trainer.internal.runner.CheckpointReadException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Input frames streamed through a store, so that a sequence of any length holds only a few chunks
 * of frames on the heap. The wrapped source is read once, in ascending step order, the first time
 * each step is asked for (it may be a one-pass stream); frames are grouped in chunks of {@code
 * chunkSteps} steps and put in the store (a write-behind store writes them in the background), the
 * active channels with the spike codec ({@link SpikeFrame}, one row per step and sequence) and,
 * only when some value is not 1, the values as a dense {@link FloatBlock}. Later (recomputation,
 * and the backward pass, which runs in reverse) chunks are read back, the neighbouring chunks
 * announced for read-ahead ({@link BlobStore#prefetch}), and at most {@code cachedChunks} are kept.
 * Values come back bit for bit.
 *
 * <p>{@link #fill} cannot throw a checked exception: a chunk the store cannot give back is thrown
 * as an {@link UncheckedIOException} holding a {@link CheckpointReadException} (the executor
 * rethrows the cause). Not thread-safe. {@link #close()} deletes the spooled chunks.
 */
public final class SpooledFrames extends LabelledFrames implements AutoCloseable {
  static final String INDICES = "frames.idx";
  static final String VALUES = "frames.val";
  private static final int READ_AHEAD = 2;

  private final FrameSource source;
  private final BlobStore store;
  private final String run;
  private final int chunkSteps;
  private final Chunk[] cache;
  private final BitSet valued = new BitSet();
  private final Set<Integer> ahead = new HashSet<>();
  private final int[] scratchIndices;
  private final float[] scratchValues;
  private int spooled;
  private long uses;
  private Chunk last;
  private long chunksRead;
  private long bytesWritten;
  private long bytesRead;
  private final BlockedTime blocked = new BlockedTime();

  private record Chunk(int index, int[] offsets, int[] indices, float[] values, long[] lastUse) {}

  /**
   * @param source the frames, read once in ascending step order
   * @param store where the chunks go (not closed here)
   * @param chunkSteps steps per chunk
   * @param cachedChunks chunks kept on the heap, at least 2
   */
  public SpooledFrames(FrameSource source, BlobStore store, int chunkSteps, int cachedChunks) {
    super(source.batchSize(), source.steps(), source.channels(), labels(source));
    if (chunkSteps < 1 || cachedChunks < 2) {
      throw new IllegalArgumentException(
          "expected chunkSteps >= 1 and cachedChunks >= 2, got "
              + chunkSteps
              + " and "
              + cachedChunks);
    }
    this.source = source;
    this.store = store;
    this.run = "frames-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    this.chunkSteps = chunkSteps;
    this.cache = new Chunk[cachedChunks];
    this.scratchIndices = new int[channels];
    this.scratchValues = new float[channels];
  }

  private static int[] labels(FrameSource source) {
    int[] labels = new int[source.batchSize()];
    for (int b = 0; b < labels.length; b++) {
      labels[b] = source.label(b);
    }
    return labels;
  }

  /** Per-step labels are read from the source: an int per step, small beside the frames. */
  @Override
  public boolean hasStepLabels() {
    return source.hasStepLabels();
  }

  @Override
  public int stepLabel(int b, int t) {
    return source.stepLabel(b, t);
  }

  @Override
  public int targetWidth() {
    return source.targetWidth();
  }

  @Override
  public float stepTarget(int b, int t, int c) {
    return source.stepTarget(b, t, c);
  }

  @Override
  public int fill(int t, int b, int[] active, float[] values) {
    FrameSource.checkFrameIndex(this, t, b);
    int c = t / chunkSteps;
    Chunk chunk = last != null && last.index == c ? last : chunk(c);
    int row = (t - c * chunkSteps) * batch + b;
    int from = chunk.offsets[row];
    int n = chunk.offsets[row + 1] - from;
    System.arraycopy(chunk.indices, from, active, 0, n);
    if (chunk.values == null) {
      Arrays.fill(values, 0, n, 1f);
    } else {
      System.arraycopy(chunk.values, from, values, 0, n);
    }
    return n;
  }

  private Chunk chunk(int c) {
    try {
      Chunk found = cached(c);
      if (found == null) {
        while (spooled <= c) {
          found = spoolNext();
        }
        if (found == null || found.index != c) {
          found = load(c);
        }
      }
      found.lastUse[0] = ++uses;
      readAhead(c - 1);
      readAhead(c + 1);
      last = found;
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Chunk cached(int c) {
    for (Chunk chunk : cache) {
      if (chunk != null && chunk.index == c) {
        return chunk;
      }
    }
    return null;
  }

  private void keep(Chunk chunk) {
    int victim = 0;
    for (int i = 0; i < cache.length; i++) {
      if (cache[i] == null) {
        victim = i;
        break;
      }
      if (cache[i].lastUse[0] < cache[victim].lastUse[0]) {
        victim = i;
      }
    }
    cache[victim] = chunk;
  }

  /** Reads the next chunk from the source, writes it behind and keeps it. */
  private Chunk spoolNext() throws IOException {
    int c = spooled;
    int first = c * chunkSteps;
    int rows = (Math.min(steps, first + chunkSteps) - first) * batch;
    int[] offsets = new int[rows + 1];
    int[] indices = new int[Math.max(16, rows * 4)];
    float[] values = new float[indices.length];
    boolean binary = true;
    int n = 0;
    for (int row = 0; row < rows; row++) {
      int m = source.fill(first + row / batch, row % batch, scratchIndices, scratchValues);
      if (n + m > indices.length) {
        indices = Arrays.copyOf(indices, Math.max(n + m, 2 * indices.length));
        values = Arrays.copyOf(values, indices.length);
      }
      System.arraycopy(scratchIndices, 0, indices, n, m);
      System.arraycopy(scratchValues, 0, values, n, m);
      for (int k = 0; k < m; k++) {
        binary &= scratchValues[k] == 1f;
      }
      n += m;
      offsets[row + 1] = n;
    }
    indices = Arrays.copyOf(indices, n);
    SpikeFrame frame = new SpikeFrame(rows, channels, offsets, indices);
    Chunk chunk;
    blocked.run(() -> store.put(key(c, INDICES), frame));
    if (binary) {
      chunk = new Chunk(c, offsets, indices, null, new long[1]);
    } else {
      float[] kept = Arrays.copyOf(values, n);
      valued.set(c);
      blocked.run(() -> store.put(key(c, VALUES), FloatBlock.of(kept)));
      bytesWritten += 4L * n;
      chunk = new Chunk(c, offsets, indices, kept, new long[1]);
    }
    bytesWritten += 4L * (offsets.length + n);
    spooled++;
    keep(chunk);
    return chunk;
  }

  private List<BlobKey> keys(int c) {
    return valued.get(c) ? List.of(key(c, INDICES), key(c, VALUES)) : List.of(key(c, INDICES));
  }

  private BlobKey key(int c, String tensor) {
    return new BlobKey(run, 0, 0, c, tensor);
  }

  private void readAhead(int c) throws IOException {
    if (c >= 0 && c < spooled && ahead.size() < READ_AHEAD && !ahead.contains(c)) {
      if (cached(c) == null) {
        blocked.run(() -> store.prefetch(keys(c)));
        ahead.add(c);
      }
    }
  }

  private Chunk load(int c) throws IOException {
    ahead.remove(c);
    String what = "input frames of steps " + c * chunkSteps + ".. (keys " + keys(c) + ")";
    List<BlobKey> keys = keys(c);
    Blob[] blobs = new Blob[keys.size()];
    try {
      for (int i = 0; i < blobs.length; i++) {
        BlobKey key = keys.get(i);
        blobs[i] = blocked.get(() -> store.get(key));
      }
    } catch (IOException e) {
      throw new CheckpointReadException(what, e);
    }
    int rows = (Math.min(steps, (c + 1) * chunkSteps) - c * chunkSteps) * batch;
    if (!(blobs[0] instanceof SpikeFrame frame)
        || frame.rows() != rows
        || frame.cols() != channels
        || (blobs.length > 1
            && !(blobs[1] instanceof FloatBlock block
                && block.data().length == frame.indices().length))) {
      throw new CheckpointReadException(
          what, new IllegalArgumentException("expected " + rows + " rows of " + channels));
    }
    float[] values = blobs.length > 1 ? ((FloatBlock) blobs[1]).data() : null;
    Chunk chunk = new Chunk(c, frame.rowOffsets(), frame.indices(), values, new long[1]);
    chunksRead++;
    bytesRead += 4L * (frame.rowOffsets().length + frame.indices().length);
    bytesRead += values == null ? 0 : 4L * values.length;
    keep(chunk);
    return chunk;
  }

  /** Chunks read back from the store so far. */
  public long chunksRead() {
    return chunksRead;
  }

  /** Payload bytes (indices, offsets, values before encoding) written to the store so far. */
  public long bytesWritten() {
    return bytesWritten;
  }

  /** Payload bytes read back from the store so far. */
  public long bytesRead() {
    return bytesRead;
  }

  /** Time spent waiting for the store so far. */
  public long blockedNanos() {
    return blocked.nanos();
  }

  /** Deletes the spooled chunks and waits until the store has. */
  @Override
  public void close() throws IOException {
    ahead.clear();
    for (int c = 0; c < spooled; c++) {
      for (BlobKey key : keys(c)) {
        store.delete(key);
      }
    }
    store.flush();
  }
}
