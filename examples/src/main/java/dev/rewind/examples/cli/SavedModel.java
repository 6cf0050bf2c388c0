package dev.rewind.examples.cli;

import dev.rewind.examples.spark.InputTable;
import dev.rewind.spark.ml.SpikingSequenceClassificationModel;
import java.io.IOException;
import java.util.OptionalInt;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** The Spark ML model of a run folder ({@code <run>/spark-model}) or a model path itself. */
final class SavedModel {
  private SavedModel() {}

  static SpikingSequenceClassificationModel load(SparkSession spark, String location)
      throws IOException {
    Path given = new Path(location);
    FileSystem fs = given.getFileSystem(spark.sparkContext().hadoopConfiguration());
    Path model = new Path(given, "spark-model");
    if (!fs.exists(new Path(model, "metadata"))) {
      if (!fs.exists(new Path(given, "metadata"))) {
        throw new IllegalArgumentException(
            "--model: expected a run folder of rewind train --engine spark (with spark-model/)"
                + " or a saved Spark model, got "
                + fs.makeQualified(given));
      }
      model = given;
    }
    return SpikingSequenceClassificationModel.load(model.toString());
  }

  /** Fails unless the table's recorded channel count (if any) is the model's input width. */
  static void checkChannels(SpikingSequenceClassificationModel model, InputTable table) {
    int expected = model.modelConfig().inputSize();
    OptionalInt channels = table.channels();
    if (channels.isPresent() && channels.getAsInt() != expected) {
      throw new IllegalArgumentException(
          "--input: expected "
              + expected
              + " channels (the model's input), got "
              + channels.getAsInt());
    }
  }
}
