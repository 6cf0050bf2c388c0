package dev.rewind.spark.ml;

import dev.rewind.spark.data.InputColumns;
import dev.rewind.spark.data.InputFormat;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Surrogate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The Params shared by {@link SpikingSequenceClassifier} and {@link
 * SpikingSequenceClassificationModel}: model shape, schedule, training loop, input and output
 * columns. Spark finds them through these no-argument accessors.
 */
public interface SequenceParams extends Params {
  /** The Param objects owned by this instance. */
  SequenceParamSet paramSet();

  default IntArrayParam layers() {
    return paramSet().layers;
  }

  default Param<String> recurrence() {
    return paramSet().recurrence;
  }

  default Param<String> surrogate() {
    return paramSet().surrogate;
  }

  default Param<String> schedule() {
    return paramSet().schedule;
  }

  default Param<String> memoryBudget() {
    return paramSet().memoryBudget;
  }

  default Param<String> offChipLocation() {
    return paramSet().offChipLocation;
  }

  default IntParam epochs() {
    return paramSet().epochs;
  }

  default IntParam batchSize() {
    return paramSet().batchSize;
  }

  default Param<String> optimizer() {
    return paramSet().optimizer;
  }

  default DoubleParam learningRate() {
    return paramSet().learningRate;
  }

  default DoubleParam gradientClipNorm() {
    return paramSet().gradientClipNorm;
  }

  default LongParam seed() {
    return paramSet().seed;
  }

  default IntParam numTasks() {
    return paramSet().numTasks;
  }

  default IntParam taskBatchSize() {
    return paramSet().taskBatchSize;
  }

  default IntParam numChannels() {
    return paramSet().numChannels;
  }

  default IntParam numClasses() {
    return paramSet().numClasses;
  }

  default Param<String> inputFormat() {
    return paramSet().inputFormat;
  }

  default Param<String> framesCol() {
    return paramSet().framesCol;
  }

  default Param<String> eventTimesCol() {
    return paramSet().eventTimesCol;
  }

  default Param<String> eventChannelsCol() {
    return paramSet().eventChannelsCol;
  }

  default Param<String> lengthCol() {
    return paramSet().lengthCol;
  }

  default Param<String> labelCol() {
    return paramSet().labelCol;
  }

  default Param<String> sequenceIdCol() {
    return paramSet().sequenceIdCol;
  }

  default Param<String> chunkIndexCol() {
    return paramSet().chunkIndexCol;
  }

  default Param<String> checkpointPath() {
    return paramSet().checkpointPath;
  }

  default IntParam checkpointInterval() {
    return paramSet().checkpointInterval;
  }

  default Param<String> metricsPath() {
    return paramSet().metricsPath;
  }

  default Param<String> predictionCol() {
    return paramSet().predictionCol;
  }

  default Param<String> probabilityCol() {
    return paramSet().probabilityCol;
  }

  /** Sets every default; numChannels and numClasses have none and must be set. */
  default void setSequenceDefaults() {
    setDefault(layers(), new int[] {64});
    setDefault(recurrence(), "recurrent");
    setDefault(surrogate(), "fast_sigmoid");
    setDefault(schedule(), "auto");
    setDefault(memoryBudget(), "256m");
    setDefault(offChipLocation(), "");
    setDefault(epochs(), 10);
    setDefault(batchSize(), 32);
    setDefault(optimizer(), "adam");
    setDefault(learningRate(), 1e-3);
    setDefault(gradientClipNorm(), 0.0);
    setDefault(seed(), 42L);
    setDefault(numTasks(), 0);
    setDefault(taskBatchSize(), 1);
    setDefault(inputFormat(), "dense");
    setDefault(framesCol(), "frames");
    setDefault(eventTimesCol(), "event_times");
    setDefault(eventChannelsCol(), "event_channels");
    setDefault(lengthCol(), "length");
    setDefault(labelCol(), "label");
    setDefault(sequenceIdCol(), "");
    setDefault(chunkIndexCol(), "chunk_idx");
    setDefault(checkpointPath(), "");
    setDefault(checkpointInterval(), 10);
    setDefault(metricsPath(), "");
    setDefault(predictionCol(), "prediction");
    setDefault(probabilityCol(), "probability");
  }

  /**
   * The value of {@code p}; IllegalArgumentException naming it when it has neither value nor
   * default.
   */
  default <T> T valueOf(Param<T> p) {
    if (!isDefined(p)) {
      throw new IllegalArgumentException(p.name() + ": expected to be set, got no value");
    }
    return getOrDefault(p);
  }

  /** The network these Params describe. */
  default ModelConfig modelConfig() {
    boolean recurrent = valueOf(recurrence()).equals("recurrent");
    List<LayerConfig> layerConfigs = new ArrayList<>();
    for (int width : valueOf(layers())) {
      layerConfigs.add(new LayerConfig(width, recurrent));
    }
    Surrogate s =
        valueOf(surrogate()).equals("triangle")
            ? new Surrogate.Triangle(Surrogate.Triangle.DEFAULT_WIDTH)
            : new Surrogate.FastSigmoid(Surrogate.FastSigmoid.DEFAULT_GAMMA);
    return new ModelConfig(
        (Integer) valueOf(numChannels()), layerConfigs, (Integer) valueOf(numClasses()), s);
  }

  /** The input columns these Params name. */
  default InputColumns inputColumns() {
    return new InputColumns(
        InputFormat.parse(valueOf(inputFormat())),
        valueOf(framesCol()),
        valueOf(eventTimesCol()),
        valueOf(eventChannelsCol()),
        valueOf(lengthCol()),
        valueOf(labelCol()),
        valueOf(sequenceIdCol()),
        valueOf(chunkIndexCol()));
  }
}
