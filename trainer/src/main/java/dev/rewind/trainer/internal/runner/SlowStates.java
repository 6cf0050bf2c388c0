package dev.rewind.trainer.internal.runner;

import dev.rewind.storage.BlobKey;
import dev.rewind.storage.BlobStore;
import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.SpikeFrame;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checkpoints a schedule saves to its slow tier, as blobs (see {@code StateCodec}) under keys
 * {@code <run>/a0/b<sequence>/state.dense|state.spikes/<step>} of a {@link BlobStore}. Loads are
 * announced in advance ({@link BlobStore#prefetch}), so a write-behind store reads them ahead while
 * it writes saves and deletes frees in the background. Holds only the set of saved steps (one entry
 * per live checkpoint) and of announced ones. The blobs are the system's {@link
 * SteppedSystem#denseState()} and {@link SteppedSystem#spikeState()}. Until the forward sweep ends
 * it may also copy every save into a bundle ({@link CheckpointCopies}), under keys another process
 * can name.
 */
public final class SlowStates {
  public static final String DENSE = "state.dense";
  public static final String SPIKES = "state.spikes";

  private final BlobStore store;
  private final SteppedSystem<?> system;
  private final String run;
  private final long sequence;
  private final Set<Long> saved = new HashSet<>();
  private final Set<Long> ahead = new HashSet<>();
  private final BlockedTime blocked = new BlockedTime();
  private CheckpointCopies copies;

  /**
   * @param copies where saves are copied until {@link #stopCopying}, or null for nowhere
   */
  SlowStates(
      BlobStore store,
      SteppedSystem<?> system,
      String run,
      long sequence,
      CheckpointCopies copies) {
    this.store = store;
    this.system = system;
    this.run = run;
    this.sequence = sequence;
    this.copies = copies;
  }

  BlobKey key(long step, String tensor) {
    return new BlobKey(run, 0, sequence, step, tensor);
  }

  /** Saves the system's current state, which is state {@code step}. */
  void save(long step) throws IOException {
    if (!saved.add(step)) {
      throw new IllegalStateException("slow tier: state " + step + " is already saved");
    }
    FloatBlock dense = system.denseState();
    SpikeFrame spikes = system.spikeState();
    CheckpointCopies to = copies;
    blocked.run(
        () -> {
          store.put(key(step, DENSE), dense);
          store.put(key(step, SPIKES), spikes);
          if (to != null) {
            to.bundle().put(to.key(step, DENSE), dense);
            to.bundle().put(to.key(step, SPIKES), spikes);
          }
        });
  }

  /**
   * Stops copying saves (the forward sweep is over) and returns the steps of the copies, which are
   * the states saved now, in the sequence's time ({@link CheckpointCopies#offset()} added), in
   * increasing order; empty when nothing was copied.
   */
  long[] stopCopying() {
    CheckpointCopies to = copies;
    copies = null;
    if (to == null) {
      return new long[0];
    }
    return saved.stream().mapToLong(s -> s + to.offset()).sorted().toArray();
  }

  boolean isSaved(long step) {
    return saved.contains(step);
  }

  /** Announces that a saved state will be loaded soon; false when already announced. */
  boolean readAhead(long step) throws IOException {
    if (ahead.contains(step) || !saved.contains(step)) {
      return false;
    }
    blocked.run(() -> store.prefetch(List.of(key(step, DENSE), key(step, SPIKES))));
    ahead.add(step);
    return true;
  }

  int readsAhead() {
    return ahead.size();
  }

  /** Makes saved state {@code step} the system's current state. */
  void load(long step) throws IOException {
    if (!saved.contains(step)) {
      throw new IllegalStateException("slow tier: state " + step + " was never saved");
    }
    ahead.remove(step);
    FloatBlock dense;
    SpikeFrame spikes;
    try {
      dense = blocked.get(() -> store.getFloats(key(step, DENSE)));
      spikes = blocked.get(() -> store.getSpikes(key(step, SPIKES)));
    } catch (IOException | IllegalArgumentException e) {
      throw new CheckpointReadException(describe(step), e);
    }
    try {
      system.restoreState(describe(step), dense, spikes, (int) step);
    } catch (IllegalArgumentException e) {
      throw new CheckpointReadException(describe(step), e);
    }
  }

  void free(long step) throws IOException {
    if (!saved.remove(step)) {
      throw new IllegalStateException("slow tier: free of state " + step + " never saved");
    }
    ahead.remove(step);
    blocked.run(
        () -> {
          store.delete(key(step, DENSE));
          store.delete(key(step, SPIKES));
        });
  }

  /** Deletes every checkpoint still saved (after a failed run). */
  void freeAll() throws IOException {
    for (Long step : List.copyOf(saved)) {
      free(step);
    }
  }

  /** Waits until the store has done everything asked so far; rethrows a background failure. */
  void flush() throws IOException {
    blocked.run(store::flush);
  }

  /** Time the caller spent in the store's calls (I/O it waited for). */
  long blockedNanos() {
    return blocked.nanos();
  }

  int liveStates() {
    return saved.size();
  }

  private String describe(long step) {
    return "checkpoint of state "
        + step
        + " (keys "
        + key(step, DENSE).relativePath()
        + ", "
        + key(step, SPIKES).relativePath()
        + ")";
  }
}
