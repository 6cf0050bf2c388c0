package dev.rewind.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rewind.examples.spark.InputTable;
import dev.rewind.examples.spark.SequenceRows;
import dev.rewind.examples.spark.SparkRuntime;
import dev.rewind.spark.data.InputFormat;
import dev.rewind.spark.ml.Evaluation;
import dev.rewind.spark.ml.SpikingSequenceClassificationModel;
import dev.rewind.trainer.model.LossSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rewind evaluate}: loss and accuracy of a saved model on Parquet or a built-in test set.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description =
        "Score a model trained by rewind train (Spark engine) on Parquet (--input) or on a"
            + " built-in task's test set (task options, --test-size, --batch, --seed as for"
            + " train); prints loss and accuracy and writes them as JSON.")
public final class EvaluateCommand implements Callable<Integer> {
  @Mixin TaskOptions task;

  @Option(names = "--model", required = true, description = "Run folder (or Spark model path).")
  String model;

  @Option(names = "--input", description = "Labelled Parquet (path or Hadoop URI).")
  String input;

  @Option(names = "--test-size", defaultValue = "128", description = "Built-in test sequences.")
  int testSize;

  @Option(names = "--batch", defaultValue = "16", description = "Generation batch, as for train.")
  int batch;

  @Option(names = "--seed", defaultValue = "42", description = "Data seed, as for train.")
  long seed;

  @Option(
      names = "--out",
      description = "JSON file for the scores (default: <model>/evaluation.json, replaced).")
  Path out;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter console = spec.commandLine().getOut();
    Path file = out != null ? out : Path.of(model).resolve("evaluation.json");
    try (SparkRuntime runtime = SparkRuntime.start("rewind evaluate")) {
      SparkSession spark = runtime.spark();
      SpikingSequenceClassificationModel m = SavedModel.load(spark, model);
      InputTable table;
      String data;
      if (input != null) {
        table = InputTable.parquet(spark, "--input", input, m.supervision());
        data = input;
      } else {
        TaskOptions.TaskData t = task.load(0, testSize, batch, seed, LossSpec.parse(m.getLoss()));
        InputFormat format = SequenceRows.formatOf(t.test());
        table =
            InputTable.of(
                SequenceRows.dataFrame(
                    spark,
                    t.test(),
                    format,
                    t.channels(),
                    t.classes(),
                    spark.sparkContext().defaultParallelism()),
                "--task " + task.task,
                m.supervision());
        data = t.description();
      }
      SavedModel.checkChannels(m, table);
      Evaluation e = SavedModel.configured(m, table).evaluate(table.rows());
      console.printf(
          Locale.ROOT,
          "%s: %d sequences, loss %.4f, accuracy %.1f%%%n",
          data,
          e.sequences(),
          e.loss(),
          100 * e.accuracy());
      write(file, data, e);
      console.println("wrote " + file.toAbsolutePath());
    }
    return 0;
  }

  private void write(Path file, String data, Evaluation e) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode node = json.createObjectNode();
    node.put("model", model);
    node.put("data", data);
    node.put("sequences", e.sequences());
    node.put("loss", e.loss());
    node.put("accuracy", e.accuracy());
    Path target = file.toAbsolutePath();
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
