package dev.rewind.spark.ml;

import dev.rewind.spark.data.InputColumns;
import dev.rewind.spark.data.Supervision;
import dev.rewind.spark.internal.data.Chunk;
import dev.rewind.spark.internal.data.RowDecoder;
import dev.rewind.trainer.model.LossSpec;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.ModelSetup;
import dev.rewind.trainer.model.ParameterLayout;
import dev.rewind.trainer.training.EpochResult;
import dev.rewind.trainer.training.StepMetrics;
import dev.rewind.trainer.training.TrainingConfig;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A trained spiking sequence classifier: immutable parameters plus the Params it was trained with.
 * {@code transform} adds {@code predictionCol} (double) and {@code probabilityCol} (vector) to each
 * row when sequences are one row each; under a per-step head they hold a value per step ({@code
 * array<int>} and {@code array<array<float>>}), under regression {@code predictionCol} holds the
 * readout per step ({@code array<array<float>>}) and there is no probability. When {@code
 * sequenceIdCol} is set, rows of one sequence are brought together and streamed in chunk order, and
 * the result has one row per sequence: (id as bigint, prediction, probability). {@link #summary()}
 * holds the per-step metrics of the fit.
 */
public final class SpikingSequenceClassificationModel
    extends Model<SpikingSequenceClassificationModel> implements SequenceParams, MLWritable {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final SequenceParamSet params;
  private final float[] parameters;
  private final List<StepMetrics> history;
  private List<EpochResult> epochs = List.of();
  private String parallelismUsed = "";

  public SpikingSequenceClassificationModel(
      String uid, float[] parameters, List<StepMetrics> history) {
    this.uid = uid;
    this.params = new SequenceParamSet(this);
    setSequenceDefaults();
    this.parameters = parameters.clone();
    this.history = List.copyOf(history);
  }

  /**
   * A model of {@code parameters} trained elsewhere (on one JVM, say) with these settings: its
   * Params are those an Estimator set from {@code setup} and {@code training} would give it.
   */
  public static SpikingSequenceClassificationModel of(
      ModelSetup setup, TrainingConfig training, float[] parameters) {
    int expected = new ParameterLayout(setup.network()).size();
    if (parameters.length != expected) {
      throw new IllegalArgumentException(
          "parameters: expected " + expected + " values for the model, got " + parameters.length);
    }
    return new SpikingSequenceClassifier()
        .setModelSetup(setup)
        .setTrainingConfig(training)
        .modelWith(parameters, List.of());
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public SequenceParamSet paramSet() {
    return params;
  }

  /** A copy of the trained parameters, in the trainer's flat layout. */
  public float[] parameters() {
    return parameters.clone();
  }

  /** Metrics of every step the fit ran (empty for a loaded model). */
  public List<StepMetrics> history() {
    return history;
  }

  /**
   * One result per epoch of the fit (train and validation loss and accuracy); empty when loaded.
   */
  public List<EpochResult> epochResults() {
    return epochs;
  }

  SpikingSequenceClassificationModel setEpochs(List<EpochResult> results) {
    this.epochs = List.copyOf(results);
    return this;
  }

  /**
   * How the fit that made this model ran: the {@code parallelism} Param with {@code auto} resolved
   * ({@code data} or {@code segments:S,...}); empty for a loaded model.
   */
  public String parallelismUsed() {
    return parallelismUsed;
  }

  SpikingSequenceClassificationModel setParallelismUsed(String value) {
    this.parallelismUsed = value;
    return this;
  }

  /**
   * Loss and accuracy on labelled sequences in this model's input columns (one distributed forward
   * pass per sequence).
   */
  public Evaluation evaluate(Dataset<?> data) {
    return Evaluation.of(this, data);
  }

  /** The per-step metrics as a DataFrame, one row per step. */
  public Dataset<Row> summary() {
    SparkSession spark = SparkSession.active();
    return spark.createDataFrame(
        history.stream()
            .map(
                m ->
                    RowFactory.create(
                        m.epoch(),
                        m.step(),
                        m.globalStep(),
                        m.sequences(),
                        m.loss(),
                        m.accuracy(),
                        m.offChipBytesWritten(),
                        m.recomputationRatio(),
                        m.ioBlockedMillis(),
                        m.peakOnChipBytes(),
                        m.stepMillis(),
                        m.driverMillis()))
            .toList(),
        new StructType()
            .add("epoch", DataTypes.IntegerType)
            .add("step", DataTypes.IntegerType)
            .add("globalStep", DataTypes.LongType)
            .add("sequences", DataTypes.LongType)
            .add("loss", DataTypes.DoubleType)
            .add("accuracy", DataTypes.DoubleType)
            .add("offChipBytesWritten", DataTypes.LongType)
            .add("recomputationRatio", DataTypes.DoubleType)
            .add("ioBlockedMillis", DataTypes.DoubleType)
            .add("peakOnChipBytes", DataTypes.LongType)
            .add("stepMillis", DataTypes.DoubleType)
            .add("driverMillis", DataTypes.DoubleType));
  }

  /**
   * Sets the sequence id column for {@code transform}: {@code ""} predicts one row per input row; a
   * column name predicts one row per sequence from rows (seq id, chunk index, frames or events).
   */
  public SpikingSequenceClassificationModel setSequenceIdCol(String value) {
    set(sequenceIdCol(), value);
    return this;
  }

  public SpikingSequenceClassificationModel setChunkIndexCol(String value) {
    set(chunkIndexCol(), value);
    return this;
  }

  public SpikingSequenceClassificationModel setPredictionCol(String value) {
    set(predictionCol(), value);
    return this;
  }

  public SpikingSequenceClassificationModel setProbabilityCol(String value) {
    set(probabilityCol(), value);
    return this;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema());
    InputColumns columns = inputColumns();
    String modelJson = modelConfig().toJson();
    float[] weights = parameters;
    if (columns.chunked()) {
      return SequenceTransform.bySequence(dataset, columns, modelJson, weights, out);
    }
    Dataset<Row> df = dataset.toDF();
    List<String> selected = columns.selected(Supervision.NONE);
    int[] positions = selected.stream().mapToInt(df.schema()::fieldIndex).toArray();
    RowDecoder decoder = new RowDecoder(columns, Supervision.NONE);
    MapPartitionsFunction<Row, Row> predict =
        rows -> predictRows(rows, modelJson, weights, positions, decoder);
    return df.mapPartitions(predict, Encoders.row(out));
  }

  /**
   * Appends the prediction columns to each row ({@link SequencePredictor#outputColumns}); static so
   * that no model is captured.
   */
  private static Iterator<Row> predictRows(
      Iterator<Row> rows, String modelJson, float[] weights, int[] positions, RowDecoder decoder) {
    ModelConfig config = ModelConfig.fromJson(modelJson);
    SequencePredictor predictor = new SequencePredictor(config, weights);
    return new Iterator<Row>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row row = rows.next();
        Object[] picked = new Object[positions.length];
        for (int i = 0; i < positions.length; i++) {
          picked[i] = row.get(positions[i]);
        }
        Chunk chunk = decoder.decode(RowFactory.create(picked), 0);
        Object[] predicted = predictor.predict(chunk.frames(config.inputSize()));
        Object[] values = Arrays.copyOf(rowValues(row), row.length() + predicted.length);
        System.arraycopy(predicted, 0, values, row.length(), predicted.length);
        return RowFactory.create(values);
      }
    };
  }

  private static Object[] rowValues(Row row) {
    Object[] values = new Object[row.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = row.get(i);
    }
    return values;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    inputColumns().validate(schema, Supervision.NONE);
    return outputSchema(schema, this);
  }

  /** The schema {@code transform} produces for {@code schema} under {@code p}. */
  static StructType outputSchema(StructType schema, SequenceParams p) {
    String prediction = p.valueOf(p.predictionCol());
    String probability = p.valueOf(p.probabilityCol());
    StructType base =
        p.inputColumns().chunked()
            ? new StructType().add(p.valueOf(p.sequenceIdCol()), DataTypes.LongType, false)
            : schema;
    LossSpec loss = LossSpec.parse(p.getLoss());
    for (String name : loss.regression() ? List.of(prediction) : List.of(prediction, probability)) {
      if (Arrays.asList(base.fieldNames()).contains(name)) {
        throw new IllegalArgumentException(
            "output column '" + name + "': expected a new column name, got an existing column");
      }
    }
    return SequencePredictor.outputColumns(base, loss, prediction, probability);
  }

  @Override
  public SpikingSequenceClassificationModel copy(ParamMap extra) {
    SpikingSequenceClassificationModel copy =
        new SpikingSequenceClassificationModel(uid, parameters, history)
            .setEpochs(epochs)
            .setParallelismUsed(parallelismUsed);
    return copyValues(copy, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new ModelWriter(this);
  }

  public static MLReader<SpikingSequenceClassificationModel> read() {
    return new ModelReader();
  }

  public static SpikingSequenceClassificationModel load(String path) {
    return read().load(path);
  }
}
