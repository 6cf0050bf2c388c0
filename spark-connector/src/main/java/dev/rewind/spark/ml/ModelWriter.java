package dev.rewind.spark.ml;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * Saves a model as MLlib does: {@code metadata/} (class, Spark version, uid, every Param as JSON)
 * and {@code data/} (Parquet, one row: the model config as JSON and the flat parameters). Refuses
 * an existing path unless {@code overwrite()} is called.
 */
final class ModelWriter extends MLWriter {
  static final StructType DATA =
      new StructType()
          .add("modelConfig", DataTypes.StringType, false)
          .add("parameters", DataTypes.createArrayType(DataTypes.FloatType, false), false);
  private final SpikingSequenceClassificationModel model;

  ModelWriter(SpikingSequenceClassificationModel model) {
    this.model = model;
  }

  @Override
  public void saveImpl(String path) {
    DefaultParamsWriter$.MODULE$.saveMetadata(
        model, path, sparkSession().sparkContext(), Option.empty(), Option.empty());
    float[] values = model.parameters();
    List<Float> boxed = new ArrayList<>(values.length);
    for (float v : values) {
      boxed.add(v);
    }
    sparkSession()
        .createDataFrame(List.of(RowFactory.create(model.modelConfig().toJson(), boxed)), DATA)
        .repartition(1)
        .write()
        .parquet(path + "/data");
  }
}
