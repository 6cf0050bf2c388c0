package dev.rewind.trainer.petra;

/**
 * Periodic checkpoints of a {@link SpikingSequenceMap}'s LIF state: the membrane potentials and the
 * previous spikes at steps 0, interval, 2 interval, ... (the state before that step). The backward
 * pass recomputes each segment from its checkpoint with a tape of at most {@code interval} steps,
 * so it holds ceil(T / interval) states plus one segment's tape instead of T steps of tape.
 */
public final class StateCheckpoints implements ForwardRecord {
  final int steps;
  final int batch;
  final int hidden;
  final int interval;
  final float[][] potential;
  final float[][] previousSpikes;

  /**
   * Empty checkpoints for a [steps][batch] input of a map with {@code hidden} neurons.
   *
   * @throws IllegalArgumentException if a size or {@code interval} is not positive
   */
  public StateCheckpoints(int steps, int batch, int hidden, int interval) {
    if (steps <= 0 || batch <= 0 || hidden <= 0 || interval <= 0) {
      throw new IllegalArgumentException(
          "checkpoints: expected steps, batch, hidden, interval > 0, got "
              + steps
              + ", "
              + batch
              + ", "
              + hidden
              + ", "
              + interval);
    }
    this.steps = steps;
    this.batch = batch;
    this.hidden = hidden;
    this.interval = interval;
    int count = (steps + interval - 1) / interval;
    this.potential = new float[count][];
    this.previousSpikes = new float[count][];
  }

  /** Number of checkpoints (segments). */
  public int count() {
    return potential.length;
  }

  @Override
  public long bytes() {
    long state = 8L * batch * hidden;
    return count() * state + 8L * Math.min(interval, steps) * batch * hidden;
  }

  void save(int t, float[] v, float[] previous) {
    potential[t / interval] = v.clone();
    previousSpikes[t / interval] = previous.clone();
  }
}
