package dev.rewind.trainer.petra;

import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.SpikeFrame;
import dev.rewind.trainer.internal.runner.SteppedSystem;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One {@link SpikingSequenceMap} on one input as a {@link SteppedSystem}, so that a checkpoint
 * schedule runs its backward over time. State t: the membrane potentials v and the spikes of step t
 * - 1 (what step t needs). A tape entry of step t holds v_t and s_t, plus s_{t-1} when step t - 1
 * is not on the tape (the recurrent weight gradient of step t needs it). Outputs y are written
 * during the forward sweep only; the output gradient, the gradient sums and dx are given before the
 * backward sweep ({@link #beginBackward}). Entries are pooled: the heap holds the schedule's peak
 * of taped steps, not T.
 */
final class MapSteps implements SteppedSystem<MapSteps.State> {

  /** A saved state. */
  static final class State {
    final float[] v;
    final float[] previous;

    State(int size) {
      this.v = new float[size];
      this.previous = new float[size];
    }
  }

  private static final class Entry {
    final float[] v;
    final float[] s;
    float[] before;

    Entry(int size) {
      this.v = new float[size];
      this.s = new float[size];
    }
  }

  private final SpikingSequenceMap map;
  private final float[] p;
  private final int off;
  private final SequenceTensor x;
  private final int size;
  private final float[] y;
  private final State current;
  private final SpikingSequenceMap.Scratch scratch;
  private final Entry[] tape;
  private final ArrayDeque<Entry> entryPool = new ArrayDeque<>();
  private final ArrayDeque<float[]> spikePool = new ArrayDeque<>();
  private SpikingSequenceMap.Adjoint adjoint;
  private int step;
  private int adjointStep;
  private boolean forwardEnded;
  private long tapeSteps;
  private long tapeBytes;
  private long peakTapeSteps;
  private long peakTapeBytes;
  private SequenceTensor dy;
  private float[] grads;
  private int gradOffset;
  private float[] dx;

  MapSteps(SpikingSequenceMap map, float[] p, int off, SequenceTensor x) {
    this.map = map;
    this.p = p;
    this.off = off;
    this.x = x;
    this.size = x.batch() * map.hidden();
    this.y = new float[x.steps() * x.batch() * map.outputWidth()];
    this.current = new State(size);
    this.scratch = new SpikingSequenceMap.Scratch(map.hidden());
    this.tape = new Entry[x.steps()];
  }

  /** Whether this system runs {@code map} on exactly these parameters and input. */
  boolean runs(SpikingSequenceMap map, float[] p, int off, SequenceTensor x) {
    return this.map == map && this.p == p && this.off == off && this.x == x;
  }

  /** y, complete once the forward sweep has ended. */
  SequenceTensor output() {
    return new SequenceTensor(x.steps(), x.batch(), map.outputWidth(), y);
  }

  /** What the backward sweep needs: dL/dy and where the gradients go. */
  void beginBackward(SequenceTensor dy, float[] grads, int gradOffset) {
    this.dy = dy;
    this.grads = grads;
    this.gradOffset = gradOffset;
    this.dx = new float[x.steps() * x.batch() * x.width()];
  }

  /** dL/dx, complete once every step is reversed. */
  SequenceTensor inputGradient() {
    return new SequenceTensor(x.steps(), x.batch(), x.width(), dx);
  }

  @Override
  public int steps() {
    return x.steps();
  }

  @Override
  public int step() {
    return step;
  }

  @Override
  public void begin(int tapeChunkSteps) {
    clearTape();
    Arrays.fill(current.v, 0f);
    Arrays.fill(current.previous, 0f);
    step = 0;
    adjoint = new SpikingSequenceMap.Adjoint(size);
    adjointStep = x.steps();
    forwardEnded = false;
    tapeSteps = 0;
    tapeBytes = 0;
    peakTapeSteps = 0;
    peakTapeBytes = 0;
  }

  @Override
  public void advance(int from, int to) {
    float[] out = forwardEnded ? null : y;
    for (int t = from; t < to; t++) {
      map.step(p, off, x, t, current.v, current.previous, null, null, 0, out, scratch);
    }
    step = to;
  }

  @Override
  public void record(int from, int to) {
    float[] out = forwardEnded ? null : y;
    for (int t = from; t < to; t++) {
      if (tape[t] != null) {
        throw new IllegalStateException("tape: step " + t + " is taped already");
      }
      Entry entry = entryPool.isEmpty() ? new Entry(size) : entryPool.pop();
      tapeBytes += 8L * size;
      if (t > 0 && tape[t - 1] == null) {
        entry.before = spikePool.isEmpty() ? new float[size] : spikePool.pop();
        System.arraycopy(current.previous, 0, entry.before, 0, size);
        tapeBytes += 4L * size;
      }
      map.step(p, off, x, t, current.v, current.previous, entry.v, entry.s, 0, out, scratch);
      tape[t] = entry;
      tapeSteps++;
      peakTapeSteps = Math.max(peakTapeSteps, tapeSteps);
      peakTapeBytes = Math.max(peakTapeBytes, tapeBytes);
    }
    step = to;
  }

  @Override
  public void reverse(int from, int to) {
    if (dy == null) {
      throw new IllegalStateException("map backward: no output gradient was given");
    }
    for (int t = to - 1; t >= from; t--) {
      Entry entry = tape[t];
      if (entry == null) {
        throw new IllegalStateException("tape: reverse of step " + t + ", which is not taped");
      }
      float[] before = t > 0 && tape[t - 1] != null ? tape[t - 1].s : entry.before;
      if (t > 0 && before == null) {
        throw new IllegalStateException("tape: the spikes before step " + t + " are not taped");
      }
      map.reverseStep(
          p, off, x, t, entry.v, entry.s, 0, before, 0, dy, grads, gradOffset, adjoint, dx);
      release(t);
      adjointStep = t;
    }
  }

  private void release(int t) {
    Entry entry = tape[t];
    tape[t] = null;
    tapeBytes -= 8L * size;
    if (entry.before != null) {
      spikePool.push(entry.before);
      entry.before = null;
      tapeBytes -= 4L * size;
    }
    entryPool.push(entry);
    tapeSteps--;
  }

  @Override
  public void endForward() {
    forwardEnded = true;
  }

  @Override
  public int adjointStep() {
    return adjointStep;
  }

  @Override
  public long tapeSteps() {
    return tapeSteps;
  }

  @Override
  public long peakTapeSteps() {
    return peakTapeSteps;
  }

  @Override
  public long peakTapeBytes() {
    return peakTapeBytes;
  }

  @Override
  public void clearTape() {
    for (int t = 0; t < tape.length; t++) {
      if (tape[t] != null) {
        release(t);
      }
    }
  }

  @Override
  public long stateBytes() {
    return 8L * size;
  }

  @Override
  public State newState() {
    return new State(size);
  }

  @Override
  public void saveState(State slot) {
    System.arraycopy(current.v, 0, slot.v, 0, size);
    System.arraycopy(current.previous, 0, slot.previous, 0, size);
  }

  @Override
  public void loadState(State slot, int step) {
    System.arraycopy(slot.v, 0, current.v, 0, size);
    System.arraycopy(slot.previous, 0, current.previous, 0, size);
    this.step = step;
  }

  @Override
  public FloatBlock denseState() {
    return FloatBlock.of(current.v.clone());
  }

  /** The spikes of the last step, one row per sequence. */
  @Override
  public SpikeFrame spikeState() {
    int batch = x.batch();
    int hidden = map.hidden();
    int[] offsets = new int[batch + 1];
    int total = 0;
    for (float s : current.previous) {
      total += s > 0 ? 1 : 0;
    }
    int[] indices = new int[total];
    int n = 0;
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < hidden; i++) {
        if (current.previous[b * hidden + i] > 0) {
          indices[n++] = i;
        }
      }
      offsets[b + 1] = n;
    }
    return new SpikeFrame(batch, hidden, offsets, indices);
  }

  @Override
  public void restoreState(String what, FloatBlock dense, SpikeFrame spikes, int step) {
    int batch = x.batch();
    int hidden = map.hidden();
    if (dense.data().length != size) {
      throw new IllegalArgumentException(
          what + ": expected " + size + " membrane potentials, got " + dense.data().length);
    }
    if (spikes.rows() != batch || spikes.cols() != hidden) {
      throw new IllegalArgumentException(
          what
              + ": expected spikes of "
              + batch
              + " x "
              + hidden
              + ", got "
              + spikes.rows()
              + " x "
              + spikes.cols());
    }
    System.arraycopy(dense.data(), 0, current.v, 0, size);
    Arrays.fill(current.previous, 0f);
    int[] offsets = spikes.rowOffsets();
    int[] indices = spikes.indices();
    for (int b = 0; b < batch; b++) {
      for (int k = offsets[b]; k < offsets[b + 1]; k++) {
        current.previous[b * hidden + indices[k]] = 1f;
      }
    }
    this.step = step;
  }
}
