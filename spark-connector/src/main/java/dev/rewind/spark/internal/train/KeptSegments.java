package dev.rewind.spark.internal.train;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.tier.BlobBundleWriter;
import dev.rewind.trainer.checkpoint.PausedSegment;
import dev.rewind.trainer.checkpoint.SequenceTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The segments an executor JVM keeps paused between the forward and the backward wave of a
 * segment-parallel step: each with the trainer that ran its forward and the off-chip store that
 * holds its slow checkpoints. The backward task of the same segment, micro-batch and step takes it
 * when Spark runs that task here, which the layout's cached partitions make the rule; a backward
 * task that runs elsewhere (a lost executor, a retry, speculation) finds nothing and recomputes
 * from the driver's boundary state. What a run kept for an earlier step is closed when it keeps the
 * next, and {@link #release} closes the rest at the end of a fit; closing deletes the files.
 */
final class KeptSegments {
  /**
   * @param step names the step's parameters (their broadcast's id, increasing within a fit)
   */
  record Key(String run, long step, int segment, int microBatch) {}

  /**
   * A paused segment with what it needs for its backward, and the bundle of the copies of its
   * checkpoints (null: none).
   */
  record Kept(
      PausedSegment segment, SequenceTrainer trainer, BlobStore store, BlobBundleWriter copies)
      implements AutoCloseable {
    /**
     * Frees the segment, its trainer, its store and its bundle (deleting their files), the first
     * failure kept.
     */
    @Override
    public void close() throws IOException {
      try (BlobBundleWriter c = copies;
          BlobStore s = store;
          SequenceTrainer t = trainer) {
        segment.close();
      }
    }
  }

  private static final Map<Key, Kept> KEPT = new HashMap<>();

  private KeptSegments() {}

  /**
   * Keeps {@code kept} under {@code key}, closing what the same key held (a forward task run again)
   * and what its run kept for earlier steps, unless the planned bytes of the run's segments kept in
   * this JVM would then exceed {@code budgetBytes}: then it keeps nothing and the caller still owns
   * {@code kept}.
   *
   * @return the planned bytes of the run's segments kept in this JVM now, this one included, or -1
   *     when it was not kept
   */
  static long keep(Key key, Kept kept, long budgetBytes) throws IOException {
    List<Kept> stale;
    long held = 0;
    boolean fits;
    synchronized (KEPT) {
      stale = remove(k -> k.run().equals(key.run()) && (k.step() < key.step() || k.equals(key)));
      for (Map.Entry<Key, Kept> e : KEPT.entrySet()) {
        if (e.getKey().run().equals(key.run())) {
          held += e.getValue().segment().plannedBytes();
        }
      }
      fits = held + kept.segment().plannedBytes() <= budgetBytes;
      if (fits) {
        KEPT.put(key, kept);
      }
    }
    closeAll(stale);
    return fits ? held + kept.segment().plannedBytes() : -1;
  }

  /** What {@code key} kept in this JVM, removed from the registry, or null. */
  static Kept take(Key key) {
    synchronized (KEPT) {
      return KEPT.remove(key);
    }
  }

  /** Closes every segment {@code run} kept in this JVM; returns how many there were. */
  static int release(String run) throws IOException {
    List<Kept> stale;
    synchronized (KEPT) {
      stale = remove(k -> k.run().equals(run));
    }
    closeAll(stale);
    return stale.size();
  }

  /** Removes the entries whose key {@code matches} and returns them; the caller holds the lock. */
  private static List<Kept> remove(Predicate<Key> matches) {
    List<Kept> removed = new ArrayList<>();
    for (Iterator<Map.Entry<Key, Kept>> it = KEPT.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, Kept> e = it.next();
      if (matches.test(e.getKey())) {
        removed.add(e.getValue());
        it.remove();
      }
    }
    return removed;
  }

  private static void closeAll(List<Kept> stale) throws IOException {
    IOException failure = null;
    for (Kept k : stale) {
      try {
        k.close();
      } catch (IOException | UncheckedIOException e) {
        IOException io = e instanceof IOException x ? x : ((UncheckedIOException) e).getCause();
        if (failure == null) {
          failure = io;
        } else {
          failure.addSuppressed(io);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
