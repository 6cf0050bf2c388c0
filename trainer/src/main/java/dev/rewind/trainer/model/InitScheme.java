package dev.rewind.trainer.model;

/**
 * How {@link Parameters#initialise} draws weights: every matrix entry uniform in [-a, a] with a =
 * scale / sqrt(fan_in), biases zero. The input scale is large on purpose: a LIF neuron only spikes
 * when its low-passed current reaches theta = 1, and with sparse inputs (a few percent of channels
 * active per step) the PyTorch-style a = 1/sqrt(fan_in) gives currents far below threshold, so the
 * network is silent and has no gradient through its spikes.
 *
 * @param inputScale scale of the feed-forward matrices W_l
 * @param recurrentScale scale of the recurrent matrices R_l
 * @param readoutScale scale of the readout matrix W_o
 */
public record InitScheme(double inputScale, double recurrentScale, double readoutScale) {
  /** Input 6, recurrent 1, readout 1: sparse layers spike at a few percent on sparse input. */
  public static final InitScheme DEFAULT = new InitScheme(6.0, 1.0, 1.0);

  public InitScheme {
    check("inputScale", inputScale);
    check("recurrentScale", recurrentScale);
    check("readoutScale", readoutScale);
  }

  private static void check(String name, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + ": expected finite and >= 0, got " + v);
    }
  }
}
