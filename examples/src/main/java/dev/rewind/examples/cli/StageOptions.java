package dev.rewind.examples.cli;

import picocli.CommandLine.Option;

/**
 * Options of stage-wise training of a reversible spiking network ({@code --trainer}); without
 * {@code --trainer}, {@code rewind train} trains the LIF network of {@link ModelOptions} instead.
 */
final class StageOptions {
  @Option(
      names = "--trainer",
      description =
          "petra (stage-parallel, delayed gradients, rebuilt inputs) or backprop (the same stages"
              + " in sequence, exact), on a reversible network; omit for the LIF network.")
  String trainer;

  @Option(
      names = "--stages",
      defaultValue = "2",
      description = "With --trainer: number of stages J (threads), at most --blocks.")
  int stages;

  @Option(
      names = "--accumulate",
      defaultValue = "1",
      description = "With --trainer: backward passes per optimizer step k.")
  int accumulate;

  @Option(
      names = "--blocks",
      defaultValue = "4",
      description = "With --trainer: reversible coupling blocks.")
  int blocks;

  @Option(
      names = "--width",
      defaultValue = "16",
      description = "With --trainer: width of each half of the coupling activations.")
  int width;

  @Option(
      names = "--hidden",
      defaultValue = "32",
      description = "With --trainer: LIF neurons in each F and G.")
  int hidden;

  @Option(
      names = "--probe-every",
      defaultValue = "10",
      description =
          "With --trainer petra: measure the input-reconstruction error of every n-th"
              + " micro-batch (0: never).")
  int probeEvery;

  boolean selected() {
    return trainer != null;
  }
}
