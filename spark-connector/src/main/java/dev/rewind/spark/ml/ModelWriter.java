package dev.rewind.spark.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

/**
 * Saves a model as MLlib does: {@code metadata/} (class, Spark version, uid, every Param as JSON)
 * and {@link ModelDataFile} (the model config and the flat parameters). Refuses an existing path
 * unless {@code overwrite()} is called.
 */
final class ModelWriter extends MLWriter {
  private final SpikingSequenceClassificationModel model;

  ModelWriter(SpikingSequenceClassificationModel model) {
    this.model = model;
  }

  @Override
  public void saveImpl(String path) {
    DefaultParamsWriter$.MODULE$.saveMetadata(
        model, path, sparkSession().sparkContext(), Option.empty(), Option.empty());
    try {
      ModelDataFile.write(
          path,
          new ModelDataFile.Contents(model.modelConfig(), model.parameters()),
          sparkSession().sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException("model data under " + path, e);
    }
  }
}
