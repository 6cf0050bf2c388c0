package dev.rewind.examples.cli;

import static org.apache.spark.sql.functions.col;

import dev.rewind.examples.spark.Hadoop;
import dev.rewind.examples.spark.InputTable;
import dev.rewind.examples.spark.SparkRuntime;
import dev.rewind.spark.data.Supervision;
import dev.rewind.spark.ml.SpikingSequenceClassificationModel;
import dev.rewind.trainer.model.LossSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rewind predict}: a saved model's predictions for Parquet sequences, as Parquet. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description =
        "Predict with a model trained by rewind train (Spark engine): writes Parquet with the"
            + " input's other columns (seq_id, label, ...), prediction (double) and probability"
            + " (array<double>, one per class). All or nothing: a failed run leaves no --out.")
public final class PredictCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Run folder (or Spark model path).")
  String model;

  @Option(
      names = "--input",
      required = true,
      description = "Parquet (path or Hadoop URI); labels are optional.")
  String input;

  @Option(names = "--out", required = true, description = "New folder or Hadoop URI.")
  String out;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter console = spec.commandLine().getOut();
    try (SparkRuntime runtime = SparkRuntime.start("rewind predict")) {
      SparkSession spark = runtime.spark();
      Hadoop.requireAbsent(spark, "--out", out);
      SpikingSequenceClassificationModel m = SavedModel.load(spark, model);
      InputTable table = InputTable.parquet(spark, "--input", input, Supervision.NONE);
      SavedModel.checkChannels(m, table);
      Dataset<Row> predicted =
          SavedModel.configured(m, table)
              .transform(table.rows())
              .drop(table.featureColumns().toArray(String[]::new));
      if (!LossSpec.parse(m.getLoss()).perStep()) {
        // A vector column is Spark ML's own type; an array of doubles reads anywhere.
        predicted =
            predicted.withColumn(
                "probability", functions.vector_to_array(col("probability"), "float64"));
      }
      Hadoop.writeParquetAtomically(spark, "--out", out, predicted);
      console.println("wrote predictions to " + out);
    }
    return 0;
  }
}
