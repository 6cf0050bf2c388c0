package dev.rewind.trainer.checkpoint;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.StoreMetrics;
import dev.rewind.storage.TierMetrics;
import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.GradientAccumulator;
import dev.rewind.trainer.bptt.LifEngine;
import dev.rewind.trainer.bptt.LossHead;
import dev.rewind.trainer.bptt.LossResult;
import dev.rewind.trainer.bptt.NetworkState;
import dev.rewind.trainer.bptt.StateAdjoint;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.schedule.Action;
import dev.rewind.trainer.schedule.CostModel;
import dev.rewind.trainer.schedule.Schedule;
import dev.rewind.trainer.schedule.Tier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs a checkpoint {@link Schedule} on a real network: interprets its actions with the engine's
 * step kernels, keeps {@link Tier#MEMORY} checkpoints as in-heap state copies and {@link Tier#SLOW}
 * ones in a {@link BlobStore} (written behind, read ahead as the look-ahead over the action stream
 * announces loads), and returns the loss and gradient, bit-identical to {@link
 * dev.rewind.trainer.bptt.StoreAllBptt} for every valid schedule, with the run's {@link
 * RunMetrics}.
 *
 * <p>Holds O(live slots + taped steps + look-ahead) on the heap; nothing grows with T except what
 * the schedule itself keeps. Invalid action sequences (loading a state never saved, reversing steps
 * not taped, ...) stop the run with IllegalStateException; a checkpoint the slow tier cannot give
 * back stops it with {@link CheckpointReadException}. Either way everything the run saved is freed.
 * Not thread-safe: one executor per thread. {@link #close()} stops its I/O thread; it does not
 * close the store.
 */
public final class CheckpointExecutor implements AutoCloseable {
  private final ModelConfig config;
  private final ExecutorSettings settings;
  private final LifEngine engine;
  private final NetworkState state;
  private final StateAdjoint adjoint;
  private final GradientAccumulator gradients;
  private final ChunkedTape tape;
  private final MemorySlots slots;
  private final StateCodec codec;
  private final BlobIo io;
  private final String run;
  private long sequence;

  /**
   * @param config the model
   * @param batch sequences per batch
   * @param slowStore where {@link Tier#SLOW} checkpoints go (not closed by the executor)
   * @param settings look-ahead and buffering
   */
  public CheckpointExecutor(
      ModelConfig config, int batch, BlobStore slowStore, ExecutorSettings settings) {
    if (slowStore == null || settings == null) {
      throw new IllegalArgumentException(
          "expected a slow store and settings, got " + slowStore + ", " + settings);
    }
    this.config = config;
    this.settings = settings;
    this.engine = new LifEngine(config, batch);
    this.state = new NetworkState(config, batch);
    this.adjoint = new StateAdjoint(config, batch);
    this.gradients = new GradientAccumulator(config);
    this.tape = new ChunkedTape(config, batch);
    this.slots = new MemorySlots(config, batch);
    this.codec = new StateCodec(state);
    this.io = new BlobIo(slowStore, settings.pendingWrites());
    this.run = "run-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
  }

  public ModelConfig config() {
    return config;
  }

  public int batch() {
    return engine.batch();
  }

  /** Heap bytes of one saved state (one memory slot). */
  public long stateBytes() {
    return codec.heapBytes();
  }

  /** Runs {@code schedule} without a time prediction. */
  public CheckpointResult run(Parameters parameters, FrameSource frames, Schedule schedule)
      throws IOException {
    return run(parameters, frames, schedule, null);
  }

  /**
   * Loss and gradient of {@code frames} under {@code parameters}, computed by {@code schedule}.
   *
   * @param predictWith the cost model whose prediction is reported beside the measured time, or
   *     null for none
   */
  public CheckpointResult run(
      Parameters parameters, FrameSource frames, Schedule schedule, CostModel predictWith)
      throws IOException {
    if (schedule.steps() != frames.steps()) {
      throw new IllegalArgumentException(
          "schedule "
              + schedule.description()
              + ": expected T = "
              + frames.steps()
              + " steps (the frames'), got "
              + schedule.steps());
    }
    engine.loadParameters(parameters);
    long start = System.nanoTime();
    long blockedBefore = io.blockedNanos();
    StoreMetrics storeBefore = io.store().metrics();
    Run r = new Run(frames, new SlowStates(io, codec, run, sequence++));
    tape.begin(
        (int) Math.max(1, Math.min(settings.tapeChunkSteps(), schedule.footprint().tapeSteps())));
    try {
      r.execute(new ActionWindow(schedule.actions(), settings.lookaheadActions()));
      io.drain();
    } catch (UncheckedIOException e) {
      // a spooled input chunk the store could not give back
      r.abandon(e.getCause());
      throw e.getCause();
    } catch (RuntimeException | IOException e) {
      r.abandon(e);
      throw e;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    StoreMetrics storeAfter = io.store().metrics();
    RunMetrics metrics =
        new RunMetrics(
            schedule.description(),
            frames.steps(),
            r.advanced,
            r.taped,
            r.memorySaves,
            r.memoryLoads,
            r.slowSaves,
            r.slowLoads,
            r.memorySaves * stateBytes(),
            r.memoryLoads * stateBytes(),
            written(storeAfter) - written(storeBefore),
            read(storeAfter) - read(storeBefore),
            0,
            0,
            io.blockedNanos() - blockedBefore,
            tape.peakSteps(),
            tape.peakBytes(),
            r.peakSlots,
            r.peakCheckpointStates * stateBytes(),
            r.peakSlow,
            predictWith == null ? Double.NaN : schedule.predictedSeconds(predictWith),
            seconds);
    return new CheckpointResult(new BpttResult(r.loss, gradients.toArray()), metrics);
  }

  private static long written(StoreMetrics m) {
    return m.tiers().stream().mapToLong(TierMetrics::bytesWritten).sum();
  }

  private static long read(StoreMetrics m) {
    return m.tiers().stream().mapToLong(TierMetrics::bytesRead).sum();
  }

  /** The state of one run: where it is and what it counted. */
  private final class Run {
    private final FrameSource frames;
    private final SlowStates slow;
    private final int steps;
    private LossResult loss;
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

    Run(FrameSource frames, SlowStates slow) {
      this.frames = frames;
      this.slow = slow;
      this.steps = frames.steps();
    }

    void execute(ActionWindow window) throws IOException {
      state.reset();
      gradients.clear();
      adjoint.reset(steps);
      while (window.hasNext()) {
        Action action = window.next();
        // only worth a scan when some saved slow-tier state is not being read ahead yet
        if (slow.readsAhead() < Math.min(settings.readAheadStates(), slow.liveStates())) {
          readAhead(window);
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
      }
      require(loss != null, "the forward sweep never ended");
      require(adjoint.step() == 0, "steps 0.." + (adjoint.step() - 1) + " were never reversed");
      require(tape.steps() == 0, "the tape still holds " + tape.steps() + " steps");
      require(slots.liveSlots() == 0, "memory still holds " + slots.liveSlots() + " states");
      require(slow.liveStates() == 0, "the slow tier still holds " + slow.liveStates() + " states");
    }

    private void apply(Action action) throws IOException {
      if (action instanceof Action.Advance a) {
        int from = step(a.from());
        int to = step(a.to());
        require(from == state.step(), action + " but the current state is " + state.step());
        if (a.taped()) {
          require(loss == null || to <= adjoint.step(), action + " tapes reversed steps");
          tape.record(engine, state, from, to, frames);
          taped += to - from;
        } else {
          engine.advance(state, from, to, frames, null);
        }
        advanced += to - from;
      } else if (action instanceof Action.Save s) {
        require(s.step() == state.step(), action + " but the current state is " + state.step());
        if (s.tier() == Tier.MEMORY) {
          slots.save(state);
          memorySaves++;
        } else {
          slow.save(state);
          slowSaves++;
        }
      } else if (action instanceof Action.Load l) {
        require(loss != null, action + " during the forward sweep");
        if (l.tier() == Tier.MEMORY) {
          slots.load(l.step(), state);
          memoryLoads++;
        } else {
          slow.load(l.step(), state);
          slowLoads++;
        }
      } else if (action instanceof Action.Free f) {
        if (f.tier() == Tier.MEMORY) {
          slots.free(f.step());
        } else {
          slow.free(f.step());
        }
      } else if (action instanceof Action.Reverse r) {
        require(loss != null, action + " before the forward sweep ended");
        tape.reverse(engine, step(r.from()), step(r.to()), frames, adjoint, gradients);
      } else if (action instanceof Action.EndForward) {
        require(loss == null, "a second end of the forward sweep");
        loss = LossHead.evaluate(state, frames);
        LossHead.seed(adjoint, loss, steps);
      }
    }

    /** Starts reading the next slow-tier loads that no save or free in between could change. */
    private void readAhead(ActionWindow window) throws IOException {
      Set<Long> touched = null;
      for (Action next : window.upcoming()) {
        if (slow.readsAhead() >= settings.readAheadStates()) {
          return;
        }
        if (next instanceof Action.Load l && l.tier() == Tier.SLOW) {
          if (touched == null || !touched.contains(l.step())) {
            slow.readAhead(l.step());
          }
        } else if (next instanceof Action.Save s && s.tier() == Tier.SLOW) {
          touched = touch(touched, s.step());
        } else if (next instanceof Action.Free f && f.tier() == Tier.SLOW) {
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

    /** Frees whatever a failed run left behind; the first failure stays the one thrown. */
    void abandon(Exception failure) {
      tape.clear();
      slots.freeAll();
      try {
        slow.freeAll();
        io.drain();
      } catch (IOException | RuntimeException cleanup) {
        failure.addSuppressed(cleanup);
      }
    }
  }

  @Override
  public void close() {
    io.close();
  }
}
