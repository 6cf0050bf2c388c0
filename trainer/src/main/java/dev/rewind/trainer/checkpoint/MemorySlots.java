package dev.rewind.trainer.checkpoint;

import dev.rewind.trainer.bptt.NetworkState;
import dev.rewind.trainer.model.ModelConfig;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The in-heap checkpoint tier: saved states as {@link NetworkState} copies, exact by construction.
 * Buffers are pooled: a freed slot is reused by the next save, so the heap holds at most the
 * schedule's peak of live slots (plus the pool kept for the next run).
 */
final class MemorySlots {
  private final ModelConfig config;
  private final int batch;
  private final Map<Long, NetworkState> live = new HashMap<>();
  private final ArrayDeque<NetworkState> pool = new ArrayDeque<>();

  MemorySlots(ModelConfig config, int batch) {
    this.config = config;
    this.batch = batch;
  }

  void save(NetworkState state) {
    long step = state.step();
    if (live.containsKey(step)) {
      throw new IllegalStateException("memory: state " + step + " is already saved");
    }
    NetworkState slot = pool.isEmpty() ? new NetworkState(config, batch) : pool.pop();
    slot.copyFrom(state);
    live.put(step, slot);
  }

  void load(long step, NetworkState state) {
    NetworkState slot = live.get(step);
    if (slot == null) {
      throw new IllegalStateException("memory: load of state " + step + " never saved");
    }
    state.copyFrom(slot);
  }

  void free(long step) {
    NetworkState slot = live.remove(step);
    if (slot == null) {
      throw new IllegalStateException("memory: free of state " + step + " never saved");
    }
    pool.push(slot);
  }

  int liveSlots() {
    return live.size();
  }

  /** Returns every live slot to the pool (after a failed run). */
  void freeAll() {
    pool.addAll(live.values());
    live.clear();
  }
}
