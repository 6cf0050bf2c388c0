package dev.rewind.trainer.internal.runner;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The in-heap checkpoint tier: saved states as copies in a system's state buffers, exact by
 * construction. Buffers are pooled: a freed slot is reused by the next save, so the heap holds at
 * most the schedule's peak of live slots (plus the pool kept for the next run).
 */
final class MemorySlots<S> {
  private final SteppedSystem<S> system;
  private final Map<Long, S> live = new HashMap<>();
  private final ArrayDeque<S> pool = new ArrayDeque<>();

  MemorySlots(SteppedSystem<S> system) {
    this.system = system;
  }

  SteppedSystem<S> system() {
    return system;
  }

  /** Saves the system's current state, which is state {@code step}. */
  void save(long step) {
    if (live.containsKey(step)) {
      throw new IllegalStateException("memory: state " + step + " is already saved");
    }
    S slot = pool.isEmpty() ? system.newState() : pool.pop();
    system.saveState(slot);
    live.put(step, slot);
  }

  void load(long step) {
    S slot = live.get(step);
    if (slot == null) {
      throw new IllegalStateException("memory: load of state " + step + " never saved");
    }
    system.loadState(slot, (int) step);
  }

  void free(long step) {
    S slot = live.remove(step);
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
