package dev.rewind.spark.ml;

import dev.rewind.trainer.model.ModelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.MLReader;
import scala.Option;

/** Loads what {@link ModelWriter} saved; the saved config must match the saved Params. */
final class ModelReader extends MLReader<SpikingSequenceClassificationModel> {
  @Override
  public SpikingSequenceClassificationModel load(String path) {
    DefaultParamsReader.Metadata metadata =
        DefaultParamsReader$.MODULE$.loadMetadata(
            path,
            sparkSession().sparkContext(),
            SpikingSequenceClassificationModel.class.getName());
    ModelDataFile.Contents data;
    try {
      data = ModelDataFile.read(path, sparkSession().sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException("model data under " + path, e);
    }
    ModelConfig saved = data.config();
    float[] values = data.parameters();
    SpikingSequenceClassificationModel model =
        new SpikingSequenceClassificationModel(metadata.uid(), values, List.of());
    metadata.getAndSetParams(model, Option.empty());
    if (!model.modelConfig().equals(saved)) {
      throw new IllegalStateException(
          "model at "
              + path
              + ": expected data for the config of its Params "
              + model.modelConfig().toJson()
              + ", got "
              + saved.toJson());
    }
    return model;
  }
}
