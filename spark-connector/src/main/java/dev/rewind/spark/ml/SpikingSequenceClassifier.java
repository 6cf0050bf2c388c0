package dev.rewind.spark.ml;

import dev.rewind.spark.metrics.JsonLinesMetricsWriter;
import dev.rewind.spark.metrics.Listeners;
import dev.rewind.spark.metrics.ProgressLine;
import dev.rewind.spark.metrics.TrainingListener;
import dev.rewind.spark.train.DistributedTrainer;
import dev.rewind.spark.train.ScheduleOptions;
import dev.rewind.spark.train.TrainingData;
import dev.rewind.spark.train.TrainingOptions;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.optim.AdamConfig;
import dev.rewind.trainer.optim.OptimizerConfig;
import dev.rewind.trainer.optim.SgdConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * Trains a spiking sequence classifier with exact BPTT, data-parallel over the Spark cluster:
 * sequences are spread over {@code numTasks} task slots balanced by length, each step broadcasts
 * the parameters, tasks sum their gradients, {@code treeAggregate} brings the sums to the driver,
 * and the driver steps the optimizer. See {@link SequenceParams} for the Params and {@link
 * dev.rewind.spark.data.InputColumns} for the input schema. {@code fit} checks the schema before
 * running any job.
 */
public final class SpikingSequenceClassifier extends Estimator<SpikingSequenceClassificationModel>
    implements SequenceParams, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final SequenceParamSet params;
  private transient TrainingListener listener = TrainingListener.NONE;

  public SpikingSequenceClassifier() {
    this(Identifiable.randomUID("rewindSSC"));
  }

  public SpikingSequenceClassifier(String uid) {
    this.uid = uid;
    this.params = new SequenceParamSet(this);
    setSequenceDefaults();
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public SequenceParamSet paramSet() {
    return params;
  }

  /** Also tells {@code listener} about every step of the next fits (not saved, not copied). */
  public SpikingSequenceClassifier setListener(TrainingListener listener) {
    this.listener = listener == null ? TrainingListener.NONE : listener;
    return this;
  }

  public SpikingSequenceClassifier setLayers(int... widths) {
    set(layers(), widths);
    return this;
  }

  public SpikingSequenceClassifier setRecurrence(String value) {
    set(recurrence(), value);
    return this;
  }

  public SpikingSequenceClassifier setSurrogate(String value) {
    set(surrogate(), value);
    return this;
  }

  public SpikingSequenceClassifier setSchedule(String value) {
    set(schedule(), value);
    return this;
  }

  public SpikingSequenceClassifier setMemoryBudget(String value) {
    set(memoryBudget(), value);
    return this;
  }

  public SpikingSequenceClassifier setOffChipLocation(String value) {
    set(offChipLocation(), value);
    return this;
  }

  public SpikingSequenceClassifier setEpochs(int value) {
    set(epochs(), value);
    return this;
  }

  public SpikingSequenceClassifier setBatchSize(int value) {
    set(batchSize(), value);
    return this;
  }

  public SpikingSequenceClassifier setOptimizer(String value) {
    set(optimizer(), value);
    return this;
  }

  public SpikingSequenceClassifier setLearningRate(double value) {
    set(learningRate(), value);
    return this;
  }

  public SpikingSequenceClassifier setGradientClipNorm(double value) {
    set(gradientClipNorm(), value);
    return this;
  }

  public SpikingSequenceClassifier setSeed(long value) {
    set(seed(), value);
    return this;
  }

  public SpikingSequenceClassifier setNumTasks(int value) {
    set(numTasks(), value);
    return this;
  }

  /**
   * Lets each task compute up to {@code value} of its whole sequences of equal length in one
   * batched run instead of one by one: faster, the same gradient to float rounding. Default 1.
   */
  public SpikingSequenceClassifier setTaskBatchSize(int value) {
    set(taskBatchSize(), value);
    return this;
  }

  public SpikingSequenceClassifier setNumChannels(int value) {
    set(numChannels(), value);
    return this;
  }

  public SpikingSequenceClassifier setNumClasses(int value) {
    set(numClasses(), value);
    return this;
  }

  public SpikingSequenceClassifier setInputFormat(String value) {
    set(inputFormat(), value);
    return this;
  }

  public SpikingSequenceClassifier setFramesCol(String value) {
    set(framesCol(), value);
    return this;
  }

  public SpikingSequenceClassifier setEventTimesCol(String value) {
    set(eventTimesCol(), value);
    return this;
  }

  public SpikingSequenceClassifier setEventChannelsCol(String value) {
    set(eventChannelsCol(), value);
    return this;
  }

  public SpikingSequenceClassifier setLengthCol(String value) {
    set(lengthCol(), value);
    return this;
  }

  public SpikingSequenceClassifier setLabelCol(String value) {
    set(labelCol(), value);
    return this;
  }

  public SpikingSequenceClassifier setSequenceIdCol(String value) {
    set(sequenceIdCol(), value);
    return this;
  }

  public SpikingSequenceClassifier setChunkIndexCol(String value) {
    set(chunkIndexCol(), value);
    return this;
  }

  public SpikingSequenceClassifier setCheckpointPath(String value) {
    set(checkpointPath(), value);
    return this;
  }

  public SpikingSequenceClassifier setCheckpointInterval(int value) {
    set(checkpointInterval(), value);
    return this;
  }

  public SpikingSequenceClassifier setMetricsPath(String value) {
    set(metricsPath(), value);
    return this;
  }

  public SpikingSequenceClassifier setPredictionCol(String value) {
    set(predictionCol(), value);
    return this;
  }

  public SpikingSequenceClassifier setProbabilityCol(String value) {
    set(probabilityCol(), value);
    return this;
  }

  @Override
  public SpikingSequenceClassificationModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    SparkContext sc = dataset.sparkSession().sparkContext();
    TrainingOptions options = trainingOptions(sc);
    TrainingData data = TrainingData.load(dataset, inputColumns());
    JsonLinesMetricsWriter metrics = null;
    try {
      List<TrainingListener> all = new ArrayList<>();
      int stepsPerEpoch = (data.table().size() + options.batchSize() - 1) / options.batchSize();
      all.add(new ProgressLine(options.epochs(), stepsPerEpoch));
      if (!valueOf(metricsPath()).isEmpty()) {
        metrics = new JsonLinesMetricsWriter(valueOf(metricsPath()), sc.hadoopConfiguration());
        all.add(metrics);
      }
      all.add(listener);
      DistributedTrainer.TrainingResult result =
          new DistributedTrainer(options, uid).fit(data, sc, Listeners.all(all));
      SpikingSequenceClassificationModel model =
          new SpikingSequenceClassificationModel(uid, result.parameters(), result.history());
      copyValues(model, ParamMap.empty());
      return model.setParent(this);
    } catch (IOException e) {
      throw new UncheckedIOException("metrics file " + valueOf(metricsPath()), e);
    } finally {
      data.release();
      if (metrics != null) {
        try {
          metrics.close();
        } catch (IOException e) {
          throw new UncheckedIOException("metrics file " + valueOf(metricsPath()), e);
        }
      }
    }
  }

  /** The validated training settings of these Params for a fit on {@code sc}. */
  TrainingOptions trainingOptions(SparkContext sc) {
    ModelConfig config = modelConfig();
    double lr = (Double) valueOf(learningRate());
    OptimizerConfig opt =
        valueOf(optimizer()).equals("sgd") ? SgdConfig.plain(lr) : AdamConfig.defaults(lr);
    int tasks = (Integer) valueOf(numTasks());
    return new TrainingOptions(
        config,
        new ScheduleOptions(valueOf(schedule()), valueOf(memoryBudget())),
        valueOf(offChipLocation()),
        (Integer) valueOf(epochs()),
        (Integer) valueOf(batchSize()),
        opt,
        (Double) valueOf(gradientClipNorm()),
        (Long) valueOf(seed()),
        tasks == 0 ? sc.defaultParallelism() : tasks,
        valueOf(checkpointPath()),
        (Integer) valueOf(checkpointInterval()),
        (Integer) valueOf(taskBatchSize()));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    inputColumns().validate(schema, true);
    modelConfig();
    return SpikingSequenceClassificationModel.outputSchema(schema, this);
  }

  @Override
  public SpikingSequenceClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<SpikingSequenceClassifier> read() {
    return new DefaultParamsReader<>();
  }

  public static SpikingSequenceClassifier load(String path) {
    return read().load(path);
  }
}
