package dev.rewind.examples.cli;

import dev.rewind.examples.spark.InputTable;
import dev.rewind.spark.ml.SpikingSequenceClassificationModel;
import dev.rewind.trainer.io.ParameterFiles;
import java.io.IOException;
import java.util.OptionalInt;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** The Spark ML model of a run folder ({@code <run>/spark-model}) or a model path itself. */
final class SavedModel {
  private SavedModel() {}

  /**
   * The model of {@code location}: a run folder of either engine (its {@code spark-model/}, or its
   * {@code setup.json} and {@code params/} when it has none) or a saved Spark model.
   */
  static SpikingSequenceClassificationModel load(SparkSession spark, String location)
      throws IOException {
    Path given = new Path(location);
    FileSystem fs = given.getFileSystem(spark.sparkContext().hadoopConfiguration());
    Path model = new Path(given, "spark-model");
    if (fs.exists(new Path(model, "metadata"))) {
      return SpikingSequenceClassificationModel.load(model.toString());
    }
    if (fs.exists(new Path(given, "metadata"))) {
      return SpikingSequenceClassificationModel.load(given.toString());
    }
    if (fs.exists(new Path(given, RunSetup.FILE)) && fs.exists(new Path(given, "params"))) {
      java.nio.file.Path dir = java.nio.file.Path.of(fs.makeQualified(given).toUri());
      RunSetup setup = RunSetup.read(dir);
      float[] parameters =
          new ParameterFiles(setup.model().network()).readFlat(dir.resolve("params"));
      return SpikingSequenceClassificationModel.of(setup.model(), setup.training(), parameters);
    }
    throw new IllegalArgumentException(
        "--model: expected a run folder of rewind train (with spark-model/, or setup.json and"
            + " params/) or a saved Spark model, got "
            + fs.makeQualified(given));
  }

  /** {@code model} set to read {@code table}'s format and, for chunked rows, its sequence ids. */
  static SpikingSequenceClassificationModel configured(
      SpikingSequenceClassificationModel model, InputTable table) {
    return model.copy(
        new org.apache.spark.ml.param.ParamMap()
            .put(model.inputFormat(), table.formatName())
            .put(model.sequenceIdCol(), table.sequenceIdCol()));
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
