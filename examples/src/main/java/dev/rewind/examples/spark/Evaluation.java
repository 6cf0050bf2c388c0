package dev.rewind.examples.spark;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.when;

import dev.rewind.spark.ml.SpikingSequenceClassificationModel;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Loss and accuracy of a model on labelled sequences: loss is the mean cross-entropy {@code -ln
 * p[label]} of the predicted probabilities, accuracy the fraction whose prediction is the label.
 */
public record Evaluation(long sequences, double loss, double accuracy) {

  /** Runs {@code model} over {@code table} (which must have labels) and scores it. */
  public static Evaluation of(SpikingSequenceClassificationModel model, InputTable table) {
    SpikingSequenceClassificationModel m = configured(model, table);
    Dataset<Row> predicted = m.transform(table.rows());
    if (table.chunked()) {
      // One output row per sequence (seq_id, prediction, probability): labels come from the input.
      Dataset<Row> labels = table.rows().select("seq_id", "label").dropDuplicates("seq_id");
      predicted = predicted.join(labels, "seq_id");
    }
    Row r =
        predicted
            .select(
                col("label"),
                col("prediction"),
                functions.vector_to_array(col("probability"), "float64").as("p"))
            .agg(
                count("*"),
                avg(log(element_at(col("p"), col("label").plus(1))).multiply(-1)),
                avg(when(col("prediction").equalTo(col("label")), 1.0).otherwise(0.0)))
            .first();
    long n = r.getLong(0);
    if (n == 0) {
      throw new IllegalArgumentException("evaluation: expected labelled sequences, got none");
    }
    return new Evaluation(n, r.getDouble(1), r.getDouble(2));
  }

  /** {@code model} set to read {@code table}'s format and, for chunked rows, its sequence ids. */
  public static SpikingSequenceClassificationModel configured(
      SpikingSequenceClassificationModel model, InputTable table) {
    return model.copy(
        new ParamMap()
            .put(model.inputFormat(), table.formatName())
            .put(model.sequenceIdCol(), table.sequenceIdCol()));
  }
}
