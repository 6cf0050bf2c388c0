package dev.rewind.spark.ml;

import dev.rewind.trainer.model.ModelConfig;
import java.util.List;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Row;
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
    Row data = sparkSession().read().parquet(path + "/data").first();
    ModelConfig saved = ModelConfig.fromJson(data.getString(0));
    List<Float> boxed = data.getList(1);
    float[] values = new float[boxed.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = boxed.get(i);
    }
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
