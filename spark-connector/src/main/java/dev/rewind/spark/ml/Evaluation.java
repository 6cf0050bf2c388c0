package dev.rewind.spark.ml;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.ml.functions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Loss and accuracy of a model on labelled sequences: loss is the mean cross-entropy {@code -ln
 * p[label]} of the predicted probabilities, accuracy the fraction whose prediction is the label.
 */
public record Evaluation(long sequences, double loss, double accuracy) {

  /** Runs {@code model} over {@code data} (in the model's input columns, with labels). */
  static Evaluation of(SpikingSequenceClassificationModel model, Dataset<?> data) {
    String label = model.valueOf(model.labelCol());
    Dataset<Row> predicted = model.transform(data);
    if (model.inputColumns().chunked()) {
      // One output row per sequence (id, prediction, probability): labels come from the input.
      String id = model.valueOf(model.sequenceIdCol());
      Dataset<Row> labels =
          data.toDF().select(col(id).cast("bigint").as(id), col(label)).dropDuplicates(id);
      predicted = predicted.join(labels, id);
    }
    Row r =
        predicted
            .select(
                col(label).as("label"),
                col(model.valueOf(model.predictionCol())).as("prediction"),
                functions
                    .vector_to_array(col(model.valueOf(model.probabilityCol())), "float64")
                    .as("p"))
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
}
