package dev.rewind.spark.ml;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.when;

import dev.rewind.spark.internal.data.InputCheck;
import dev.rewind.spark.internal.train.HeldOutScorer;
import dev.rewind.trainer.model.LossSpec;
import dev.rewind.trainer.model.ModelConfig;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Loss and accuracy of a model on labelled sequences, as its loss head scores them. Under mean and
 * last:K, loss is the mean cross-entropy {@code -ln p[label]} of the predicted probabilities and
 * accuracy the fraction of sequences whose prediction is the label; under per-step, the mean
 * cross-entropy and the accuracy over the labelled steps; under regression, the mean of {@code (u -
 * z)^2 / 2} over the targeted components, and accuracy 0.
 */
public record Evaluation(long sequences, double loss, double accuracy) {

  /** How many sequences one forward pass of a per-step evaluation scores together. */
  private static final int STEP_HEAD_BATCH = 16;

  /** Runs {@code model} over {@code data} (in the model's input columns, with labels). */
  static Evaluation of(SpikingSequenceClassificationModel model, Dataset<?> data) {
    if (LossSpec.parse(model.getLoss()).perStep()) {
      return ofStepHead(model, data);
    }
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

  /**
   * A per-step head's loss over the labels or targets of {@code data}, as training scores a
   * validation set: the rows checked first, so that a bad one is named before any pass runs.
   */
  private static Evaluation ofStepHead(SpikingSequenceClassificationModel model, Dataset<?> data) {
    ModelConfig config = model.modelConfig();
    new InputCheck(model.inputColumns(), model.supervision(), config.inputSize(), config.classes())
        .requireValid(data, "evaluation rows");
    int slots = data.sparkSession().sparkContext().defaultParallelism();
    try (HeldOutScorer scorer =
        HeldOutScorer.load(data, model.inputColumns(), config, slots, STEP_HEAD_BATCH)) {
      double[] score = scorer.score(model.parameters());
      return new Evaluation(scorer.sequences(), score[0], score[1]);
    }
  }
}
