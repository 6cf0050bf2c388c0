package dev.rewind.examples;

import dev.rewind.examples.cli.DataCommand;
import dev.rewind.examples.cli.GradCommand;
import dev.rewind.examples.cli.InitCommand;
import dev.rewind.examples.cli.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rewind} command line: train, compute gradients, move models and data as .npy. */
@Command(
    name = "rewind",
    mixinStandardHelpOptions = true,
    version = "rewind 0.1.0",
    description = "Exact BPTT for spiking networks on very long sequences.",
    subcommands = {
      TrainCommand.class,
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

  /** The configured command line; bad input prints its message (not a stack trace) and exits 2. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(RewindCli.class);
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof IllegalArgumentException
              || ex instanceof java.io.IOException
              || ex instanceof java.io.UncheckedIOException) {
            commandLine.getErr().println("rewind: " + ex.getMessage());
            return 2;
          }
          throw ex;
        });
    return cli;
  }
}
