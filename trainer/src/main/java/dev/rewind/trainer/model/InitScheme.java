package dev.rewind.trainer.model;

/**
 * How {@link Parameters#initialise} draws weights: every matrix entry uniform in [-a, a] with a =
 * scale / sqrt(fan_in), biases zero. The feed-forward scale is large on purpose: a LIF neuron only
 * spikes when its low-passed current reaches theta = 1, and with sparse inputs (a fraction p of
 * channels active per step) the current's mean over neurons spreads as about a p sqrt(fan_in / 3),
 * so the PyTorch-style a = 1/sqrt(fan_in) leaves the network silent, with no gradient through its
 * spikes. {@link #DEFAULT} is tuned on the benchmark config (128 inputs at p = 0.05, 2 x 512 LIF):
 * both layers fire at about 4% at initialisation.
 *
 * @param inputScale scale of the feed-forward matrices W_l
 * @param recurrentScale scale of the recurrent matrices R_l
 * @param readoutScale scale of the readout matrix W_o
 */
public record InitScheme(double inputScale, double recurrentScale, double readoutScale) {
  /** Feed-forward 60, recurrent 4, readout 1. */
  public static final InitScheme DEFAULT = new InitScheme(60.0, 4.0, 1.0);

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
