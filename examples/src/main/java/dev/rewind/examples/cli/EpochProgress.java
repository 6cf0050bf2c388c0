package dev.rewind.examples.cli;

import dev.rewind.trainer.training.EpochResult;
import dev.rewind.trainer.training.StepMetrics;
import dev.rewind.trainer.training.TrainingListener;
import java.io.PrintWriter;

/** A progress bar per epoch and one summary line per epoch, for both engines. */
final class EpochProgress implements TrainingListener, AutoCloseable {
  private final EpochConsole console;
  private final int epochs;
  private final int stepsPerEpoch;

  EpochProgress(PrintWriter console, int epochs, int stepsPerEpoch) {
    this(console, epochs, stepsPerEpoch, true);
  }

  /** With {@code classifies} false (a regression head), the epoch lines carry no accuracy. */
  EpochProgress(PrintWriter console, int epochs, int stepsPerEpoch, boolean classifies) {
    this.console = new EpochConsole(console, classifies);
    this.epochs = epochs;
    this.stepsPerEpoch = stepsPerEpoch;
  }

  @Override
  public void onStep(StepMetrics m) {
    if (!console.epochStarted()) {
      console.startEpoch(m.epoch() + 1, epochs, stepsPerEpoch);
    }
    console.step(m.loss());
  }

  @Override
  public void onEpoch(EpochResult r) {
    console.endEpoch(r, epochs);
  }

  @Override
  public void close() {
    console.close();
  }
}
