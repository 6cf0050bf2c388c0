package dev.rewind.examples.cli;

import dev.rewind.trainer.training.EpochResult;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** What both engines print while training: a progress bar per epoch, then one line per epoch. */
final class EpochConsole implements AutoCloseable {
  private final PrintWriter console;
  private final boolean classifies;
  private ProgressBar bar;

  /** With {@code classifies} false (a regression head), the epoch lines carry no accuracy. */
  EpochConsole(PrintWriter console, boolean classifies) {
    this.console = console;
    this.classifies = classifies;
  }

  /** Opens the bar of an epoch of {@code steps} steps, closing the previous one. */
  void startEpoch(int epoch, int epochs, int steps) {
    close();
    bar =
        new ProgressBarBuilder()
            .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
            .setInitialMax(steps)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(500)
            .continuousUpdate()
            .build();
  }

  boolean epochStarted() {
    return bar != null;
  }

  void step(double loss) {
    if (bar != null) {
      bar.step();
      bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
    }
  }

  /** Closes the epoch's bar and prints its summary line. */
  void endEpoch(EpochResult r, int epochs) {
    close();
    if (!classifies) {
      console.printf(
          Locale.ROOT,
          "epoch %d/%d  train loss %.4f  |  test loss %.4f  |  %.1f s%n",
          r.epoch(),
          epochs,
          r.trainLoss(),
          r.testLoss(),
          r.seconds());
      console.flush();
      return;
    }
    console.printf(
        Locale.ROOT,
        "epoch %d/%d  train loss %.4f acc %5.1f%%  |  test loss %.4f acc %5.1f%%  |  %.1f s%n",
        r.epoch(),
        epochs,
        r.trainLoss(),
        100 * r.trainAccuracy(),
        r.testLoss(),
        100 * r.testAccuracy(),
        r.seconds());
    console.flush();
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
