package dev.rewind.trainer.internal.lif;

import dev.rewind.trainer.bptt.GradientAccumulator;
import dev.rewind.trainer.bptt.LifEngine;
import dev.rewind.trainer.bptt.NetworkState;
import dev.rewind.trainer.bptt.StateAdjoint;
import dev.rewind.trainer.bptt.StepLoss;
import dev.rewind.trainer.bptt.Tape;
import dev.rewind.trainer.bptt.TapeStep;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.ModelConfig;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tape of a schedule: any set of disjoint taped ranges (as {@link
 * dev.rewind.trainer.schedule.Action} allows), held as engine {@link Tape}s of a fixed chunk length
 * so that the heap grows with the steps actually taped, not with T. A taped range is recorded chunk
 * by chunk and reversed from its top down; a chunk whose steps are all reversed goes back to a
 * pool. Splitting at chunk boundaries changes no bit: the engine computes a step the same way
 * whatever segment it is in.
 *
 * <p>Counts the heap bytes of the taped steps (see {@link #stepBytes}) and their peak.
 */
final class ChunkedTape {
  private final ModelConfig config;
  private final int batch;
  private final TreeMap<Integer, Chunk> chunks = new TreeMap<>();
  private final ArrayDeque<Tape> pool = new ArrayDeque<>();
  private int chunkSteps;
  private long steps;
  private long bytes;
  private long peakBytes;
  private long peakSteps;

  private static final class Chunk {
    final Tape tape;
    int end;

    Chunk(Tape tape) {
      this.tape = tape;
    }
  }

  ChunkedTape(ModelConfig config, int batch) {
    this.config = config;
    this.batch = batch;
  }

  /** Starts a run whose tape chunks hold {@code chunkSteps} steps; counters restart. */
  void begin(int chunkSteps) {
    if (chunkSteps < 1) {
      throw new IllegalArgumentException("tape chunk: expected >= 1 steps, got " + chunkSteps);
    }
    clear();
    if (chunkSteps != this.chunkSteps) {
      pool.clear();
      this.chunkSteps = chunkSteps;
    }
    steps = 0;
    bytes = 0;
    peakBytes = 0;
    peakSteps = 0;
  }

  /** Advances {@code state} from {@code from} to {@code to} recording the steps. */
  void record(LifEngine engine, NetworkState state, int from, int to, FrameSource frames) {
    int t = from;
    while (t < to) {
      Chunk chunk = appendable(t);
      if (chunk == null) {
        if (chunks.containsKey(t)) {
          throw new IllegalStateException("tape: step " + t + " is taped already");
        }
        chunk = new Chunk(pool.isEmpty() ? new Tape(config, batch, chunkSteps) : pool.pop());
        chunks.put(t, chunk);
      }
      int stop = Math.min(to, t + chunk.tape.capacity() - chunk.tape.size());
      engine.advance(state, t, stop, frames, chunk.tape);
      chunk.end = stop;
      for (int s = t; s < stop; s++) {
        bytes += stepBytes(chunk.tape.step(s));
      }
      steps += stop - t;
      peakBytes = Math.max(peakBytes, bytes);
      peakSteps = Math.max(peakSteps, steps);
      t = stop;
    }
  }

  private Chunk appendable(int t) {
    Map.Entry<Integer, Chunk> below = chunks.floorEntry(t - 1);
    if (below == null) {
      return null;
    }
    Chunk chunk = below.getValue();
    boolean intact = chunk.end == t && chunk.tape.endStep() == t;
    return intact && chunk.tape.size() < chunk.tape.capacity() ? chunk : null;
  }

  /**
   * Runs the backward steps {@code to - 1} down to {@code from}, consuming their tape; {@code
   * stepLoss} as {@link LifEngine#reverse(dev.rewind.trainer.bptt.Tape, int, int, FrameSource,
   * StateAdjoint, GradientAccumulator, StepLoss)} takes it.
   */
  void reverse(
      LifEngine engine,
      int from,
      int to,
      FrameSource frames,
      StateAdjoint adjoint,
      GradientAccumulator gradients,
      StepLoss stepLoss) {
    int t = to;
    while (t > from) {
      Map.Entry<Integer, Chunk> entry = chunks.floorEntry(t - 1);
      if (entry == null || entry.getValue().end != t) {
        throw new IllegalStateException(
            "tape: reverse of steps "
                + from
                + ".."
                + (to - 1)
                + " but step "
                + (t - 1)
                + " is not the top of a taped range");
      }
      Chunk chunk = entry.getValue();
      int low = Math.max(from, entry.getKey());
      for (int s = low; s < t; s++) {
        bytes -= stepBytes(chunk.tape.step(s));
      }
      steps -= t - low;
      engine.reverse(chunk.tape, t, low, frames, adjoint, gradients, stepLoss);
      chunk.end = low;
      if (low == entry.getKey()) {
        chunks.remove(low);
        chunk.tape.clear();
        pool.push(chunk.tape);
      }
      t = low;
    }
  }

  /** Forgets every taped step (the pooled buffers are kept). */
  void clear() {
    for (Chunk chunk : chunks.values()) {
      chunk.tape.clear();
      pool.push(chunk.tape);
    }
    chunks.clear();
    steps = 0;
    bytes = 0;
  }

  long steps() {
    return steps;
  }

  long bytes() {
    return bytes;
  }

  long peakBytes() {
    return peakBytes;
  }

  long peakSteps() {
    return peakSteps;
  }

  /**
   * Heap bytes of one step's record: the arrays it holds (spike indices, CSR offsets, surrogate
   * derivatives, a per-step head's readout) at their allocated length, which is what a step costs
   * on the heap.
   */
  static long stepBytes(TapeStep step) {
    long total = 4L * step.readout().length + 4L * step.readoutLeakTerm().length;
    for (int l = 0; l < step.depth(); l++) {
      total += 4L * step.membraneLeakTerm(l).length + 4L * step.adaptationLeakTerm(l).length;
      total += 4L * step.spikeOffsets(l).length + 4L * step.spikeIndices(l).length;
      if (step.sparseSurrogate()) {
        total += 4L * step.surrogateOffsets(l).length;
        total += 4L * step.surrogateIndices(l).length + 4L * step.surrogateValues(l).length;
      } else {
        total += 4L * step.surrogateDense(l).length;
      }
    }
    return total;
  }
}
