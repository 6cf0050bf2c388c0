package dev.rewind.examples.cli;

import dev.rewind.trainer.training.EpochResult;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** What both engines print while training: a progress bar per epoch, then one line per epoch. */
final class EpochConsole implements AutoCloseable {
  private final PrintWriter console;
  private final boolean classifies;
  private ProgressBar bar;

  /** Where bars go (standard error, as the library's default) and their width, found once. */
  private PrintStream barStream;

  private int barWidth;

  /** With {@code classifies} false (a regression head), the epoch lines carry no accuracy. */
  EpochConsole(PrintWriter console, boolean classifies) {
    this.console = console;
    this.classifies = classifies;
  }

  /** Opens the bar of an epoch of {@code steps} steps, closing the previous one. */
  void startEpoch(int epoch, int epochs, int steps) {
    close();
    if (barStream == null) {
      barStream = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
      barWidth = terminalWidth();
    }
    bar =
        new ProgressBarBuilder()
            .setConsumer(new ConsoleProgressBarConsumer(barStream, barWidth))
            .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
            .setInitialMax(steps)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(500)
            .continuousUpdate()
            .build();
  }

  /**
   * The terminal's width, probed once per run: the library probes it for every bar, and each probe
   * starts several processes ({@code tty}, {@code test -t}), 40-50 ms an epoch on one core.
   */
  private static int terminalWidth() {
    try (Terminal terminal = TerminalBuilder.builder().dumb(true).build()) {
      int width = terminal.getWidth();
      return width > 0 ? width - 1 : 79;
    } catch (IOException | RuntimeException e) {
      return 79;
    }
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
