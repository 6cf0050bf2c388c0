package dev.rewind.trainer.checkpoint.runner;

import dev.rewind.storage.Blob;
import dev.rewind.storage.BlobKey;
import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.SpikeFrame;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;

/**
 * The checkpoints a schedule saves to its slow tier, as blobs (see {@code StateCodec}) under keys
 * {@code <run>/a0/b<sequence>/state.dense|state.spikes/<step>}. Saves are written behind, loads
 * announced in advance are read ahead, frees delete in the background; all go through one {@link
 * BlobIo} in order. Holds only the set of saved steps (one entry per live checkpoint) and at most a
 * few read-ahead states. The blobs are the system's {@link SteppedSystem#denseState()} and {@link
 * SteppedSystem#spikeState()}.
 */
public final class SlowStates {
  public static final String DENSE = "state.dense";
  public static final String SPIKES = "state.spikes";

  private final BlobIo io;
  private final SteppedSystem<?> system;
  private final String run;
  private final long sequence;
  private final Set<Long> saved = new HashSet<>();
  private final Map<Long, Future<Blob[]>> ahead = new HashMap<>();

  SlowStates(BlobIo io, SteppedSystem<?> system, String run, long sequence) {
    this.io = io;
    this.system = system;
    this.run = run;
    this.sequence = sequence;
  }

  BlobKey key(long step, String tensor) {
    return new BlobKey(run, 0, sequence, step, tensor);
  }

  /** Saves the system's current state, which is state {@code step}. */
  void save(long step) throws IOException {
    if (!saved.add(step)) {
      throw new IllegalStateException("slow tier: state " + step + " is already saved");
    }
    io.put(
        List.of(key(step, DENSE), key(step, SPIKES)),
        List.of(system.denseState(), system.spikeState()));
  }

  boolean isSaved(long step) {
    return saved.contains(step);
  }

  /** Starts reading a saved state in the background; false when already started. */
  boolean readAhead(long step) throws IOException {
    if (ahead.containsKey(step) || !saved.contains(step)) {
      return false;
    }
    ahead.put(step, io.read(List.of(key(step, DENSE), key(step, SPIKES))));
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
    readAhead(step);
    Blob[] blobs;
    try {
      blobs = io.await(ahead.remove(step));
    } catch (IOException e) {
      throw new CheckpointReadException(describe(step), e);
    }
    try {
      system.restoreState(describe(step), (FloatBlock) blobs[0], (SpikeFrame) blobs[1], (int) step);
    } catch (ClassCastException | IllegalArgumentException e) {
      throw new CheckpointReadException(describe(step), e);
    }
  }

  void free(long step) throws IOException {
    if (!saved.remove(step)) {
      throw new IllegalStateException("slow tier: free of state " + step + " never saved");
    }
    Future<Blob[]> pending = ahead.remove(step);
    if (pending != null) {
      pending.cancel(false);
    }
    io.delete(List.of(key(step, DENSE), key(step, SPIKES)));
  }

  /** Deletes every checkpoint still saved (after a failed run). */
  void freeAll() throws IOException {
    for (Long step : List.copyOf(saved)) {
      free(step);
    }
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
