package dev.rewind.trainer.petra;

/**
 * What the backward pass of a {@link SpikingSequenceMap} needs from its forward pass: the membrane
 * potential v_t and the spike s_t (0 or 1) of every hidden neuron at every step, [steps][batch]
 * [hidden] row-major. Filled by a taped forward pass.
 */
final class SpikeTape implements ForwardRecord {
  final int steps;
  final int batch;
  final int hidden;
  final float[] potential;
  final float[] spikes;

  /** An empty tape for the given shape. */
  public SpikeTape(int steps, int batch, int hidden) {
    if (steps <= 0 || batch <= 0 || hidden <= 0) {
      throw new IllegalArgumentException(
          "tape shape: expected > 0, got " + steps + ", " + batch + ", " + hidden);
    }
    this.steps = steps;
    this.batch = batch;
    this.hidden = hidden;
    this.potential = new float[steps * batch * hidden];
    this.spikes = new float[steps * batch * hidden];
  }

  /** Bytes held: potentials and spikes as floats. */
  public long bytes() {
    return 8L * potential.length;
  }

  /** Number of spikes recorded. */
  public long spikeCount() {
    long n = 0;
    for (float s : spikes) {
      n += s > 0 ? 1 : 0;
    }
    return n;
  }
}
