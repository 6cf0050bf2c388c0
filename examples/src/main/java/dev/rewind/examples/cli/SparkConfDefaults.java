package dev.rewind.examples.cli;

import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option values from Spark confs: {@code spark.rewind.<option>} (e.g. {@code
 * spark.rewind.memory-budget=1g}) is the default of {@code --<option>}, so that {@code spark-submit
 * --conf} and {@code spark-defaults.conf} configure Rewind; the command line wins. spark-submit
 * hands confs to the application as system properties, and so does {@code -D}.
 */
public final class SparkConfDefaults implements IDefaultValueProvider {
  /** The prefix of Rewind's Spark confs. */
  public static final String PREFIX = "spark.rewind.";

  @Override
  public String defaultValue(ArgSpec arg) {
    if (arg instanceof OptionSpec option && option.longestName().startsWith("--")) {
      return System.getProperty(key(option.longestName()));
    }
    return null;
  }

  /** True when a conf sets {@code option} (a long option name, "--x"). */
  static boolean has(String option) {
    return System.getProperty(key(option)) != null;
  }

  private static String key(String option) {
    return PREFIX + option.substring(2);
  }

  /**
   * Fails on a {@code spark.rewind.*} key that names no option of any command under {@code root},
   * naming the key: a typo must not be ignored.
   */
  public static void checkKeys(CommandLine root) {
    Set<String> known = new TreeSet<>();
    collect(root.getCommandSpec(), known);
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith(PREFIX) && !known.contains(name)) {
        throw new IllegalArgumentException(
            name
                + ": expected spark.rewind.<option> for an option of a rewind command (e.g. "
                + PREFIX
                + "schedule), got an unknown key");
      }
    }
  }

  private static void collect(CommandSpec spec, Set<String> known) {
    for (OptionSpec o : spec.options()) {
      if (o.longestName().startsWith("--")) {
        known.add(key(o.longestName()));
      }
    }
    for (CommandLine sub : spec.subcommands().values()) {
      collect(sub.getCommandSpec(), known);
    }
  }
}
