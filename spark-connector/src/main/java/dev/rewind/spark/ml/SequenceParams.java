package dev.rewind.spark.ml;

import dev.rewind.spark.data.InputColumns;
import dev.rewind.spark.data.InputFormat;
import dev.rewind.spark.data.Supervision;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.LossSpec;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.ModelSetup;
import dev.rewind.trainer.model.Surrogate;
import dev.rewind.trainer.optim.AdamConfig;
import dev.rewind.trainer.optim.LearningRatePolicy;
import dev.rewind.trainer.optim.OptimizerConfig;
import dev.rewind.trainer.optim.SgdConfig;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.ScheduleSpec;
import dev.rewind.trainer.training.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
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

  default DoubleArrayParam tau() {
    return paramSet().tau;
  }

  default Param<String> neuron() {
    return paramSet().neuron;
  }

  default Param<String> loss() {
    return paramSet().loss;
  }

  default DoubleArrayParam kappa() {
    return paramSet().kappa;
  }

  default DoubleArrayParam adaptationTau() {
    return paramSet().adaptationTau;
  }

  default DoubleParam threshold() {
    return paramSet().threshold;
  }

  default Param<String> surrogate() {
    return paramSet().surrogate;
  }

  default DoubleParam surrogateGamma() {
    return paramSet().surrogateGamma;
  }

  default DoubleParam surrogateWidth() {
    return paramSet().surrogateWidth;
  }

  default DoubleParam readoutTau() {
    return paramSet().readoutTau;
  }

  default DoubleArrayParam initScales() {
    return paramSet().initScales;
  }

  default DoubleParam momentum() {
    return paramSet().momentum;
  }

  default BooleanParam nesterov() {
    return paramSet().nesterov;
  }

  default Param<String> trainTau() {
    return paramSet().trainTau;
  }

  default BooleanParam trainReadoutTau() {
    return paramSet().trainReadoutTau;
  }

  default DoubleParam adamBeta1() {
    return paramSet().adamBeta1;
  }

  default DoubleParam adamBeta2() {
    return paramSet().adamBeta2;
  }

  default DoubleParam adamEpsilon() {
    return paramSet().adamEpsilon;
  }

  default DoubleParam weightDecay() {
    return paramSet().weightDecay;
  }

  default Param<String> learningRatePolicy() {
    return paramSet().learningRatePolicy;
  }

  default IntParam warmupSteps() {
    return paramSet().warmupSteps;
  }

  default DoubleParam minLearningRateFactor() {
    return paramSet().minLearningRateFactor;
  }

  default DoubleParam timeConstantRate() {
    return paramSet().timeConstantRate;
  }

  default IntParam truncation() {
    return paramSet().truncation;
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

  default Param<String> offChipLayout() {
    return paramSet().offChipLayout;
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

  default IntParam stepsPerJob() {
    return paramSet().stepsPerJob;
  }

  default Param<String> parallelism() {
    return paramSet().parallelism;
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

  default Param<String> stepLabelsCol() {
    return paramSet().stepLabelsCol;
  }

  default Param<String> targetsCol() {
    return paramSet().targetsCol;
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

  /**
   * Sets every default; numChannels and numClasses have none and must be set. The model and
   * training defaults are those of the CLI's {@code rewind train} (a test holds them equal).
   */
  default void setSequenceDefaults() {
    setDefault(layers(), new int[] {128, 128});
    setDefault(recurrence(), "first");
    setDefault(tau(), new double[] {20});
    setDefault(neuron(), "lif");
    setDefault(loss(), "mean");
    setDefault(kappa(), new double[] {1.8});
    setDefault(adaptationTau(), new double[] {200});
    setDefault(threshold(), ModelConfig.DEFAULT_THETA);
    setDefault(surrogate(), "fast_sigmoid");
    setDefault(surrogateGamma(), Surrogate.FastSigmoid.DEFAULT_GAMMA);
    setDefault(surrogateWidth(), Surrogate.Triangle.DEFAULT_WIDTH);
    setDefault(readoutTau(), 20.0);
    InitScheme init = InitScheme.DEFAULT;
    setDefault(
        initScales(), new double[] {init.inputScale(), init.recurrentScale(), init.readoutScale()});
    setDefault(schedule(), "auto");
    setDefault(memoryBudget(), "512m");
    setDefault(offChipLocation(), "");
    setDefault(offChipLayout(), "packs");
    setDefault(epochs(), 10);
    setDefault(batchSize(), 16);
    setDefault(optimizer(), "adam");
    setDefault(learningRate(), 0.002);
    setDefault(momentum(), 0.9);
    setDefault(nesterov(), false);
    setDefault(trainTau(), "false");
    setDefault(trainReadoutTau(), false);
    setDefault(adamBeta1(), 0.9);
    setDefault(adamBeta2(), 0.999);
    setDefault(adamEpsilon(), 1e-8);
    setDefault(weightDecay(), 0.0);
    setDefault(learningRatePolicy(), "constant");
    setDefault(warmupSteps(), 0);
    setDefault(minLearningRateFactor(), 0.0);
    setDefault(gradientClipNorm(), 1.0);
    setDefault(truncation(), 0);
    setDefault(timeConstantRate(), 1.0);
    setDefault(seed(), 42L);
    setDefault(numTasks(), 0);
    setDefault(taskBatchSize(), 0);
    setDefault(stepsPerJob(), 0);
    setDefault(parallelism(), "data");
    setDefault(inputFormat(), "dense");
    setDefault(framesCol(), "frames");
    setDefault(eventTimesCol(), "event_times");
    setDefault(eventChannelsCol(), "event_channels");
    setDefault(lengthCol(), "length");
    setDefault(labelCol(), "label");
    setDefault(stepLabelsCol(), "labels");
    setDefault(targetsCol(), "targets");
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
    int[] widths = valueOf(layers());
    boolean[] recurrent = RecurrenceSpec.layers(valueOf(recurrence()), widths.length);
    double[] taus = perLayer("tau", valueOf(tau()), widths.length);
    String[] neurons = perLayer("neuron", valueOf(neuron()), widths.length);
    double[] kappas = perLayer("kappa", valueOf(kappa()), widths.length);
    double[] adaptation = perLayer("adaptationTau", valueOf(adaptationTau()), widths.length);
    // Each item is true or false: the Param's validator checked them.
    String[] trainable = perLayer("trainTau", valueOf(trainTau()), widths.length);
    List<LayerConfig> layerConfigs = new ArrayList<>();
    for (int i = 0; i < widths.length; i++) {
      layerConfigs.add(
          LayerConfig.of(
                  widths[i],
                  recurrent[i],
                  LayerConfig.betaOf(taus[i]),
                  neurons[i],
                  kappas[i],
                  adaptation[i])
              .withTrainTau(Boolean.parseBoolean(trainable[i])));
    }
    Surrogate s =
        valueOf(surrogate()).equals("triangle")
            ? new Surrogate.Triangle((Double) valueOf(surrogateWidth()))
            : new Surrogate.FastSigmoid((Double) valueOf(surrogateGamma()));
    return new ModelConfig(
            (Integer) valueOf(numChannels()),
            layerConfigs,
            (Integer) valueOf(numClasses()),
            s,
            (Double) valueOf(threshold()),
            LayerConfig.betaOf((Double) valueOf(readoutTau())),
            LossSpec.parse(valueOf(loss())),
            false)
        .withTrainReadoutTau((Boolean) valueOf(trainReadoutTau()));
  }

  /** One value per layer from a Param given once for every layer or once per layer. */
  private static double[] perLayer(String param, double[] values, int layers) {
    requireOneOrPerLayer(param, values.length, layers);
    double[] out = new double[layers];
    for (int i = 0; i < layers; i++) {
      out[i] = values.length == 1 ? values[0] : values[i];
    }
    return out;
  }

  /** As {@link #perLayer(String, double[], int)} for a comma-separated String Param. */
  private static String[] perLayer(String param, String value, int layers) {
    String[] items = value.split(",", -1);
    requireOneOrPerLayer(param, items.length, layers);
    String[] out = new String[layers];
    for (int i = 0; i < layers; i++) {
      out[i] = items.length == 1 ? items[0] : items[i];
    }
    return out;
  }

  private static void requireOneOrPerLayer(String param, int given, int layers) {
    if (given != 1 && given != layers) {
      throw new IllegalArgumentException(
          param + ": expected one value or one per layer (" + layers + "), got " + given);
    }
  }

  /** The network, its init scales and seed: the model these Params describe. */
  default ModelSetup modelSetup() {
    double[] scales = valueOf(initScales());
    return new ModelSetup(
        modelConfig(), new InitScheme(scales[0], scales[1], scales[2]), (Long) valueOf(seed()));
  }

  /**
   * The optimizer, learning-rate policy, clipping, batch, epochs and truncation of these Params.
   */
  default TrainingConfig trainingConfig() {
    double lr = (Double) valueOf(learningRate());
    double decay = (Double) valueOf(weightDecay());
    OptimizerConfig opt =
        valueOf(optimizer()).equals("sgd")
            ? new SgdConfig(lr, (Double) valueOf(momentum()), (Boolean) valueOf(nesterov()), decay)
            : new AdamConfig(
                lr,
                (Double) valueOf(adamBeta1()),
                (Double) valueOf(adamBeta2()),
                (Double) valueOf(adamEpsilon()),
                decay);
    LearningRatePolicy policy =
        valueOf(learningRatePolicy()).equals("cosine")
            ? new LearningRatePolicy.Cosine(
                (Integer) valueOf(warmupSteps()), (Double) valueOf(minLearningRateFactor()))
            : new LearningRatePolicy.Constant();
    return new TrainingConfig(
        (Integer) valueOf(epochs()),
        (Integer) valueOf(batchSize()),
        opt,
        policy,
        (Double) valueOf(gradientClipNorm()),
        (Integer) valueOf(truncation()),
        (Double) valueOf(timeConstantRate()));
  }

  /** The checkpoint schedule, parsed (the Param's validator already checked it). */
  default ScheduleSpec scheduleSpec() {
    return ScheduleSpec.parse(valueOf(schedule()));
  }

  /** The on-chip memory budget per task, parsed. */
  default MemoryBudget budget() {
    return MemoryBudget.parse(valueOf(memoryBudget()));
  }

  default int[] getLayers() {
    return valueOf(layers());
  }

  default String getRecurrence() {
    return valueOf(recurrence());
  }

  default double[] getTau() {
    return valueOf(tau());
  }

  default String getNeuron() {
    return valueOf(neuron());
  }

  default String getLoss() {
    return valueOf(loss());
  }

  default double[] getKappa() {
    return valueOf(kappa());
  }

  default double[] getAdaptationTau() {
    return valueOf(adaptationTau());
  }

  default double getThreshold() {
    return (Double) valueOf(threshold());
  }

  default String getSurrogate() {
    return valueOf(surrogate());
  }

  default double getSurrogateGamma() {
    return (Double) valueOf(surrogateGamma());
  }

  default double getSurrogateWidth() {
    return (Double) valueOf(surrogateWidth());
  }

  default double getReadoutTau() {
    return (Double) valueOf(readoutTau());
  }

  default double[] getInitScales() {
    return valueOf(initScales());
  }

  default long getSeed() {
    return (Long) valueOf(seed());
  }

  default int getEpochs() {
    return (Integer) valueOf(epochs());
  }

  default int getBatchSize() {
    return (Integer) valueOf(batchSize());
  }

  default String getOptimizer() {
    return valueOf(optimizer());
  }

  default double getLearningRate() {
    return (Double) valueOf(learningRate());
  }

  default double getMomentum() {
    return (Double) valueOf(momentum());
  }

  default boolean getNesterov() {
    return (Boolean) valueOf(nesterov());
  }

  /** Which layers train their time constants: true or false, once or once per layer. */
  default String getTrainTau() {
    return valueOf(trainTau());
  }

  default boolean getTrainReadoutTau() {
    return (Boolean) valueOf(trainReadoutTau());
  }

  default double getAdamBeta1() {
    return (Double) valueOf(adamBeta1());
  }

  default double getAdamBeta2() {
    return (Double) valueOf(adamBeta2());
  }

  default double getAdamEpsilon() {
    return (Double) valueOf(adamEpsilon());
  }

  default double getWeightDecay() {
    return (Double) valueOf(weightDecay());
  }

  default String getLearningRatePolicy() {
    return valueOf(learningRatePolicy());
  }

  default int getWarmupSteps() {
    return (Integer) valueOf(warmupSteps());
  }

  default double getMinLearningRateFactor() {
    return (Double) valueOf(minLearningRateFactor());
  }

  default double getGradientClipNorm() {
    return (Double) valueOf(gradientClipNorm());
  }

  default double getTimeConstantRate() {
    return (Double) valueOf(timeConstantRate());
  }

  default int getTruncation() {
    return (Integer) valueOf(truncation());
  }

  default String getSchedule() {
    return valueOf(schedule());
  }

  default String getMemoryBudget() {
    return valueOf(memoryBudget());
  }

  default String getOffChipLocation() {
    return valueOf(offChipLocation());
  }

  default String getOffChipLayout() {
    return valueOf(offChipLayout());
  }

  default int getNumTasks() {
    return (Integer) valueOf(numTasks());
  }

  default int getTaskBatchSize() {
    return (Integer) valueOf(taskBatchSize());
  }

  default int getStepsPerJob() {
    return (Integer) valueOf(stepsPerJob());
  }

  default String getParallelism() {
    return valueOf(parallelism());
  }

  default int getNumChannels() {
    return (Integer) valueOf(numChannels());
  }

  default int getNumClasses() {
    return (Integer) valueOf(numClasses());
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
        valueOf(chunkIndexCol()),
        valueOf(stepLabelsCol()),
        valueOf(targetsCol()));
  }

  /** What training reads besides the frames: what the loss head scores. */
  default Supervision supervision() {
    return Supervision.of(LossSpec.parse(getLoss()));
  }
}
