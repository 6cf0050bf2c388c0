package dev.rewind.examples;

import dev.rewind.examples.cli.ConvertCommand;
import dev.rewind.examples.cli.DataCommand;
import dev.rewind.examples.cli.EvaluateCommand;
import dev.rewind.examples.cli.GradCommand;
import dev.rewind.examples.cli.InitCommand;
import dev.rewind.examples.cli.PredictCommand;
import dev.rewind.examples.cli.SparkConfDefaults;
import dev.rewind.examples.cli.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rewind} command line: train (on Spark or one JVM), convert datasets to Parquet,
 * evaluate and predict with saved models, compute gradients, move models and data as .npy.
 */
@Command(
    name = "rewind",
    mixinStandardHelpOptions = true,
    version = "rewind 0.1.0",
    description = "Exact BPTT for spiking networks on very long sequences.",
    subcommands = {
      TrainCommand.class,
      ConvertCommand.class,
      EvaluateCommand.class,
      PredictCommand.class,
      GradCommand.class,
      InitCommand.class,
      DataCommand.class,
      CommandLine.HelpCommand.class
    })
public final class RewindCli {
  private RewindCli() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The configured command line; bad input prints its message (not a stack trace) and exits 2, a
   * training run whose gradient overflowed prints its message and exits 1. Options may also come
   * from {@code spark.rewind.<option>} confs (system properties).
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(RewindCli.class);
    cli.setDefaultValueProvider(new SparkConfDefaults());
    cli.setExecutionStrategy(
        parseResult -> {
          try {
            SparkConfDefaults.checkKeys(cli);
          } catch (IllegalArgumentException e) {
            cli.getErr().println("rewind: " + e.getMessage());
            return 2;
          }
          return new CommandLine.RunLast().execute(parseResult);
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          Throwable bad = badInput(ex);
          if (bad != null) {
            commandLine.getErr().println("rewind: " + bad.getMessage());
            return 2;
          }
          if (ex instanceof ArithmeticException diverged) {
            // A run that diverged: its message says where and why; exit 1, not bad input's 2.
            commandLine.getErr().println("rewind: " + diverged.getMessage());
            return 1;
          }
          throw ex;
        });
    return cli;
  }

  /**
   * The bad input behind {@code ex}: itself, or, for a Spark job that failed in its tasks, the
   * task's own IllegalArgumentException rather than Spark's wrapping of it; null for anything else.
   */
  private static Throwable badInput(Exception ex) {
    if (ex instanceof IllegalArgumentException
        || ex instanceof java.io.IOException
        || ex instanceof java.io.UncheckedIOException) {
      return ex;
    }
    if (ex instanceof org.apache.spark.SparkException) {
      for (Throwable c = ex.getCause(); c != null; c = c.getCause()) {
        if (c instanceof IllegalArgumentException) {
          return c;
        }
      }
    }
    return null;
  }
}
