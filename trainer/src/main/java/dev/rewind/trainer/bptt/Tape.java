package dev.rewind.trainer.bptt;

import dev.rewind.trainer.model.ModelConfig;

/**
 * The record of a run of consecutive forward steps [{@link #firstStep()}, {@link #endStep()}), one
 * pooled {@link TapeStep} per step, plus the spikes of the step before the first (the recurrent
 * input of the first step). Capacity is fixed at construction and steps are reused after {@link
 * #clear()}, so recording does not allocate once buffers have grown to fit.
 *
 * <p>A later storage layer can move steps off-chip: read them through {@link #step(int)}, and
 * restore them with {@link #begin(NetworkState)} (or {@link #beginAt(int, TapeStep)}) and {@link
 * #append()}, filling each appended step with its {@code load*} methods.
 */
public final class Tape {
  private final int[] widths;
  private final int batch;
  private final TapeStep[] steps;
  private final TapeStep initial;
  private int first;
  private int size;
  private boolean begun;

  public Tape(ModelConfig config, int batch, int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("tape capacity: expected > 0 steps, got " + capacity);
    }
    if (batch <= 0) {
      throw new IllegalArgumentException("batch: expected > 0, got " + batch);
    }
    this.batch = batch;
    this.widths = new int[config.depth()];
    for (int l = 0; l < widths.length; l++) {
      widths[l] = config.width(l + 1);
    }
    this.steps = new TapeStep[capacity];
    for (int i = 0; i < capacity; i++) {
      steps[i] = new TapeStep(config, batch, widths);
    }
    this.initial = new TapeStep(config, batch, widths);
  }

  public int capacity() {
    return steps.length;
  }

  public int batch() {
    return batch;
  }

  /** First recorded step; meaningful once begun. */
  public int firstStep() {
    return first;
  }

  /** One past the last recorded step. */
  public int endStep() {
    return first + size;
  }

  public int size() {
    return size;
  }

  /** True when nothing is recorded and the tape has not been begun. */
  public boolean isEmpty() {
    return !begun;
  }

  /** Bytes of the used parts of the recorded steps (see {@link TapeStep#usedBytes()}). */
  public long usedBytes() {
    long bytes = 0;
    for (int i = 0; i < size; i++) {
      bytes += steps[i].usedBytes();
    }
    return bytes;
  }

  /** Forgets everything recorded; buffers are kept. */
  public void clear() {
    size = 0;
    first = 0;
    begun = false;
  }

  /** Starts a recording at the state's step, copying its spikes as the previous step's spikes. */
  public void begin(NetworkState state) {
    requireEmpty();
    if (state.batch() != batch || state.depth() != widths.length) {
      throw new IllegalArgumentException(
          "tape: expected a state with batch "
              + batch
              + " and depth "
              + widths.length
              + ", got "
              + state.batch()
              + " and "
              + state.depth());
    }
    for (int l = 0; l < widths.length; l++) {
      int n = widths[l];
      int[] counts = state.spikeCounts(l);
      int[] src = state.spikeIndices(l);
      int[] off = initial.spikeOffsets(l);
      int total = 0;
      for (int b = 0; b < batch; b++) {
        total += counts[b];
      }
      int[] dst = initial.reserveSpikes(l, 0, total);
      int k = 0;
      for (int b = 0; b < batch; b++) {
        off[b] = k;
        System.arraycopy(src, b * n, dst, k, counts[b]);
        k += counts[b];
      }
      off[batch] = k;
    }
    first = state.step();
    begun = true;
  }

  /**
   * Starts a recording at {@code firstStep} whose previous-step spikes are those of {@code prev}.
   */
  public void beginAt(int firstStep, TapeStep prev) {
    requireEmpty();
    if (firstStep < 0) {
      throw new IllegalArgumentException("tape first step: expected >= 0, got " + firstStep);
    }
    for (int l = 0; l < widths.length; l++) {
      initial.loadSpikes(l, prev.spikeOffsets(l), prev.spikeIndices(l));
    }
    first = firstStep;
    begun = true;
  }

  /** The next pooled step, at {@link #endStep()}, now counted as recorded. */
  public TapeStep append() {
    if (!begun) {
      throw new IllegalStateException("tape: append before begin");
    }
    if (size == steps.length) {
      throw new IllegalStateException(
          "tape full: capacity " + steps.length + " steps, from step " + first);
    }
    return steps[size++];
  }

  /** The record of step {@code t}, which must lie in [firstStep, endStep). */
  public TapeStep step(int t) {
    if (t < first || t >= first + size) {
      throw new IllegalArgumentException(
          "tape step: expected in [" + first + ", " + (first + size) + "), got " + t);
    }
    return steps[t - first];
  }

  /** The spikes (only) of step {@code t - 1}, also for t = firstStep. */
  public TapeStep previous(int t) {
    return t == first ? initial : step(t - 1);
  }

  private void requireEmpty() {
    if (begun) {
      throw new IllegalStateException(
          "tape: begin on a tape holding [" + first + ", " + endStep() + "); clear it first");
    }
  }
}
