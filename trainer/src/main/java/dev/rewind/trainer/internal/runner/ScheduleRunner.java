package dev.rewind.trainer.internal.runner;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.StoreMetrics;
import dev.rewind.trainer.schedule.Action;
import dev.rewind.trainer.schedule.CostModel;
import dev.rewind.trainer.schedule.Placement;
import dev.rewind.trainer.schedule.RunMetrics;
import dev.rewind.trainer.schedule.Schedule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Interprets a checkpoint {@link Schedule}'s actions against a {@link SteppedSystem}: {@link
 * Placement#MEMORY} checkpoints as copies in the system's state buffers, {@link Placement#SLOW}
 * ones as blobs in a {@link BlobStore}, whose upcoming loads it announces with {@link
 * BlobStore#prefetch} as the look-ahead over the action stream finds them (a write-behind store,
 * {@code BlobStores.writeBehind}, then writes and reads in the background; a synchronous one on the
 * training thread). Every valid schedule gives the bits of store-all, since the system recomputes
 * with the same code from exact copies. The one executor of schedules: {@code CheckpointExecutor}
 * runs it on the LIF network, PETRA's stages on their spiking sequence maps.
 *
 * <p>A run is one {@link Pass}: {@link #start} runs the forward sweep up to its {@link
 * Action.EndForward} and pauses, so that a caller can use the forward's outputs before it has the
 * gradients the backward sweep needs; {@link Pass#finish} runs the rest. Several passes may be
 * paused at once (each has its own slots and keys). Invalid action sequences stop a pass with
 * IllegalStateException ("schedule action N ..."), an unreadable checkpoint with {@link
 * CheckpointReadException}; either way everything the pass saved is freed. Not thread-safe: one
 * runner per thread. {@link #close()} does not close the store.
 */
public final class ScheduleRunner implements AutoCloseable {
  private final ExecutorSettings settings;
  private final BlobStore slowStore;
  private final String run;
  private long sequence;
  private MemorySlots<?> idleSlots;

  /**
   * @param slowStore where {@link Placement#SLOW} checkpoints go (not closed by the runner)
   * @param settings look-ahead and buffering
   */
  public ScheduleRunner(BlobStore slowStore, ExecutorSettings settings) {
    if (slowStore == null || settings == null) {
      throw new IllegalArgumentException(
          "expected a slow store and settings, got " + slowStore + ", " + settings);
    }
    this.settings = settings;
    this.slowStore = slowStore;
    this.run = "run-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
  }

  /** Runs the whole of {@code schedule} on {@code system}; see {@link #start}. */
  public RunMetrics run(SteppedSystem<?> system, Schedule schedule, CostModel predictWith)
      throws IOException {
    return start(system, schedule).finish(predictWith);
  }

  /**
   * Begins {@code system} and runs {@code schedule}'s forward sweep, through its end.
   *
   * @throws IllegalArgumentException if the schedule is not for the system's T
   */
  public Pass start(SteppedSystem<?> system, Schedule schedule) throws IOException {
    return start(system, schedule, null);
  }

  /**
   * As {@link #start(SteppedSystem, Schedule)}, copying the states the forward sweep saves on the
   * slow tier to {@code copies} (null: nowhere); {@link Pass#copiedSteps} lists them.
   */
  public Pass start(SteppedSystem<?> system, Schedule schedule, CheckpointCopies copies)
      throws IOException {
    if (schedule.steps() != system.steps()) {
      throw new IllegalArgumentException(
          "schedule "
              + schedule.description()
              + ": expected T = "
              + system.steps()
              + " steps (the system's), got "
              + schedule.steps());
    }
    MemorySlots<?> slots = idleSlots != null && idleSlots.system() == system ? idleSlots : null;
    idleSlots = null;
    Pass pass =
        new Pass(
            system,
            schedule,
            slots == null ? new MemorySlots<>(system) : slots,
            sequence++,
            copies);
    pass.execute(true);
    return pass;
  }

  /** One run of a schedule on a system, paused after its forward sweep. */
  public final class Pass {
    private final SteppedSystem<?> system;
    private final Schedule schedule;
    private final MemorySlots<?> slots;
    private final SlowStates slow;
    private final ActionWindow window;
    private final StoreMetrics storeBefore;
    private final int steps;
    private long activeNanos;
    private boolean forwardEnded;
    private boolean finished;
    private long actions;
    private long advanced;
    private long taped;
    private long memorySaves;
    private long memoryLoads;
    private long slowSaves;
    private long slowLoads;
    private long peakSlots;
    private long peakCheckpointStates;
    private long peakSlow;
    private long[] copied = new long[0];

    private Pass(
        SteppedSystem<?> system,
        Schedule schedule,
        MemorySlots<?> slots,
        long sequence,
        CheckpointCopies copies) {
      this.system = system;
      this.schedule = schedule;
      this.slots = slots;
      this.slow = new SlowStates(slowStore, system, run, sequence, copies);
      this.window = new ActionWindow(schedule.actions(), settings.lookaheadActions());
      this.storeBefore = slowStore.metrics();
      this.steps = system.steps();
    }

    /**
     * The steps (in the sequence's time) of the slow-tier states copied at the end of the forward
     * sweep, in increasing order; empty without copies.
     */
    public long[] copiedSteps() {
      return copied.clone();
    }

    /** Runs the backward sweep and returns what the whole pass cost. */
    public RunMetrics finish(CostModel predictWith) throws IOException {
      if (finished || !forwardEnded) {
        throw new IllegalStateException(
            "pass of " + schedule.description() + ": finish expected once after the forward");
      }
      finished = true;
      execute(false);
      StoreMetrics storeAfter = slowStore.metrics();
      long stateBytes = system.stateBytes();
      idleSlots = slots;
      return RunMetrics.builder(schedule.description(), steps)
          .advancedSteps(advanced)
          .tapedSteps(taped)
          .memorySaves(memorySaves)
          .memoryLoads(memoryLoads)
          .slowSaves(slowSaves)
          .slowLoads(slowLoads)
          .memoryBytesWritten(memorySaves * stateBytes)
          .memoryBytesRead(memoryLoads * stateBytes)
          .slowBytesWritten(written(storeAfter) - written(storeBefore))
          .slowBytesRead(read(storeAfter) - read(storeBefore))
          .blockedIoNanos(slow.blockedNanos())
          .peakTapeSteps(system.peakTapeSteps())
          .peakTapeBytes(system.peakTapeBytes())
          .peakMemorySlots(peakSlots)
          .peakCheckpointBytes(peakCheckpointStates * stateBytes)
          .peakSlowStates(peakSlow)
          .predictedSeconds(
              predictWith == null ? Double.NaN : schedule.predictedSeconds(predictWith))
          .measuredSeconds(activeNanos / 1e9)
          .build();
    }

    /**
     * Frees what a paused pass holds (tape, memory slots, slow-tier states) when it will not be
     * finished; nothing once it is finished or failed.
     */
    public void cancel() throws IOException {
      if (finished) {
        return;
      }
      finished = true;
      system.clearTape();
      slots.freeAll();
      freeSlowStates();
    }

    /** Runs actions up to the end of the forward sweep, or all the remaining ones. */
    private void execute(boolean forwardOnly) throws IOException {
      long start = System.nanoTime();
      try {
        if (forwardOnly) {
          system.begin(
              (int)
                  Math.max(
                      1, Math.min(settings.tapeChunkSteps(), schedule.footprint().tapeSteps())));
        }
        if (interpret(forwardOnly)) {
          return;
        }
        checkEnd();
        slow.flush();
      } catch (UncheckedIOException e) {
        // an input the system could not read back
        abandon(e.getCause());
        throw e.getCause();
      } catch (RuntimeException | IOException e) {
        abandon(e);
        throw e;
      } finally {
        activeNanos += System.nanoTime() - start;
      }
    }

    /** True when it stopped at the end of the forward sweep. */
    private boolean interpret(boolean forwardOnly) throws IOException {
      while (window.hasNext()) {
        Action action = window.next();
        // only worth a scan when some saved slow-tier state is not being read ahead yet
        if (slow.readsAhead() < Math.min(settings.readAheadStates(), slow.liveStates())) {
          readAhead();
        }
        try {
          apply(action);
        } catch (IllegalStateException e) {
          if (e.getMessage() != null && e.getMessage().startsWith("schedule action")) {
            throw e;
          }
          throw new IllegalStateException(
              "schedule action " + actions + " " + action + ": " + e.getMessage(), e);
        }
        actions++;
        peakSlots = Math.max(peakSlots, slots.liveSlots());
        peakCheckpointStates =
            Math.max(peakCheckpointStates, slots.liveSlots() + slow.readsAhead());
        peakSlow = Math.max(peakSlow, slow.liveStates());
        if (forwardOnly && action instanceof Action.EndForward) {
          return true;
        }
      }
      return false;
    }

    private void checkEnd() {
      require(forwardEnded, "the forward sweep never ended");
      require(
          system.adjointStep() == 0,
          "steps 0.." + (system.adjointStep() - 1) + " were never reversed");
      require(system.tapeSteps() == 0, "the tape still holds " + system.tapeSteps() + " steps");
      require(slots.liveSlots() == 0, "memory still holds " + slots.liveSlots() + " states");
      require(slow.liveStates() == 0, "the slow tier still holds " + slow.liveStates() + " states");
    }

    private void apply(Action action) throws IOException {
      if (action instanceof Action.Advance a) {
        int from = step(a.from());
        int to = step(a.to());
        require(from == system.step(), action + " but the current state is " + system.step());
        if (a.taped()) {
          require(!forwardEnded || to <= system.adjointStep(), action + " tapes reversed steps");
          system.record(from, to);
          taped += to - from;
        } else {
          system.advance(from, to);
        }
        advanced += to - from;
      } else if (action instanceof Action.Save s) {
        require(s.step() == system.step(), action + " but the current state is " + system.step());
        if (s.tier() == Placement.MEMORY) {
          slots.save(s.step());
          memorySaves++;
        } else {
          slow.save(s.step());
          slowSaves++;
        }
      } else if (action instanceof Action.Load l) {
        require(forwardEnded, action + " during the forward sweep");
        if (l.tier() == Placement.MEMORY) {
          slots.load(l.step());
          memoryLoads++;
        } else {
          slow.load(l.step());
          slowLoads++;
        }
      } else if (action instanceof Action.Free f) {
        if (f.tier() == Placement.MEMORY) {
          slots.free(f.step());
        } else {
          slow.free(f.step());
        }
      } else if (action instanceof Action.Reverse r) {
        require(forwardEnded, action + " before the forward sweep ended");
        int to = step(r.to());
        require(
            to == system.adjointStep(), action + " but the adjoint is at " + system.adjointStep());
        system.reverse(step(r.from()), to);
      } else if (action instanceof Action.EndForward) {
        require(!forwardEnded, "a second end of the forward sweep");
        require(system.step() == steps, action + " but the current state is " + system.step());
        system.endForward();
        forwardEnded = true;
        copied = slow.stopCopying();
      }
    }

    /** Starts reading the next slow-tier loads that no save or free in between could change. */
    private void readAhead() throws IOException {
      Set<Long> touched = null;
      for (Action next : window.upcoming()) {
        if (slow.readsAhead() >= settings.readAheadStates()) {
          return;
        }
        if (next instanceof Action.Load l && l.tier() == Placement.SLOW) {
          if (touched == null || !touched.contains(l.step())) {
            slow.readAhead(l.step());
          }
        } else if (next instanceof Action.Save s && s.tier() == Placement.SLOW) {
          touched = touch(touched, s.step());
        } else if (next instanceof Action.Free f && f.tier() == Placement.SLOW) {
          touched = touch(touched, f.step());
        }
      }
    }

    private Set<Long> touch(Set<Long> touched, long step) {
      Set<Long> set = touched == null ? new HashSet<>() : touched;
      set.add(step);
      return set;
    }

    private int step(long step) {
      require(step <= steps, "step " + step + " is past T=" + steps);
      return (int) step;
    }

    private void require(boolean ok, String problem) {
      if (!ok) {
        throw new IllegalStateException("schedule action " + actions + ": " + problem);
      }
    }

    /** Frees whatever a failed pass left behind; the first failure stays the one thrown. */
    private void abandon(Exception failure) {
      finished = true;
      system.clearTape();
      slots.freeAll();
      try {
        freeSlowStates();
      } catch (IOException | RuntimeException cleanup) {
        failure.addSuppressed(cleanup);
      }
    }

    /** Deletes every slow-tier state the pass saved and waits until the store has. */
    private void freeSlowStates() throws IOException {
      slow.freeAll();
      slow.flush();
    }
  }

  private static long written(StoreMetrics m) {
    return m.storageIo().bytesWritten();
  }

  private static long read(StoreMetrics m) {
    return m.storageIo().bytesRead();
  }

  /** Drops the memory slots kept for the next pass; does not close the store. */
  @Override
  public void close() {
    idleSlots = null;
  }
}
