package dev.rewind.examples.cli;

import dev.rewind.examples.spark.Hadoop;
import dev.rewind.examples.spark.SequenceRows;
import dev.rewind.examples.spark.SparkRuntime;
import dev.rewind.spark.data.InputFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rewind convert}: a built-in task's training and test sets as Parquet in {@code out/train}
 * and {@code out/test}, with the connector's input columns ({@link SequenceRows}).
 */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description =
        "Write a built-in dataset as Parquet (<out>/train, <out>/test) with the columns"
            + " train --input reads: seq_id, label and event_times/event_channels/length (spike"
            + " data) or frames (anything else), and labels or targets with --step-labels or"
            + " --step-targets. All or nothing: a failed run leaves no <out>.")
public final class ConvertCommand implements Callable<Integer> {
  @Mixin TaskOptions task;

  @Mixin StepSupervisionOptions perStep;

  @Option(
      names = "--batch",
      defaultValue = "16",
      description =
          "Generation batch (sizes are multiples of it); train's default, so that the"
              + " same options give the same sequences.")
  int batch;

  @Option(names = "--train-size", defaultValue = "256", description = "Training sequences.")
  int trainSize;

  @Option(names = "--test-size", defaultValue = "128", description = "Test sequences.")
  int testSize;

  @Option(names = "--seed", defaultValue = "42", description = "Data seed.")
  long seed;

  @Option(
      names = "--out",
      required = true,
      description = "New folder or Hadoop URI for train/ and test/.")
  String out;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter console = spec.commandLine().getOut();
    if (trainSize < 1 || testSize < 1) {
      throw new IllegalArgumentException(
          "--train-size, --test-size: expected both > 0, got " + trainSize + ", " + testSize);
    }
    try (SparkRuntime runtime = SparkRuntime.start("rewind convert")) {
      SparkSession spark = runtime.spark();
      Hadoop.requireAbsent(spark, "--out", out);
      TaskOptions.TaskData data = task.load(trainSize, testSize, batch, seed, perStep.head());
      InputFormat format = SequenceRows.formatOf(data.train(), data.test());
      int partitions = spark.sparkContext().defaultParallelism();
      Map<String, Dataset<Row>> parts = new LinkedHashMap<>();
      parts.put(
          "train",
          SequenceRows.dataFrame(
              spark, data.train(), format, data.channels(), data.classes(), partitions));
      parts.put(
          "test",
          SequenceRows.dataFrame(
              spark, data.test(), format, data.channels(), data.classes(), partitions));
      Hadoop.writeParquetAtomically(spark, "--out", out, parts);
      console.printf(
          "%s; wrote %s/train and %s/test (%s)%n",
          data.description(), out, out, format.name().toLowerCase(java.util.Locale.ROOT));
    }
    return 0;
  }
}
