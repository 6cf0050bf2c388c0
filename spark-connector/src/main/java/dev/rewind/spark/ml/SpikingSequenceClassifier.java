package dev.rewind.spark.ml;

import dev.rewind.spark.internal.data.InputCheck;
import dev.rewind.spark.internal.train.DistributedTrainer;
import dev.rewind.spark.internal.train.HeldOutScorer;
import dev.rewind.spark.internal.train.OffChip;
import dev.rewind.spark.internal.train.OffChipStores;
import dev.rewind.spark.internal.train.Parallelism;
import dev.rewind.spark.internal.train.TaskSchedule;
import dev.rewind.spark.internal.train.TrainingData;
import dev.rewind.spark.internal.train.TrainingOptions;
import dev.rewind.spark.metrics.JsonLinesMetricsWriter;
import dev.rewind.spark.metrics.ProgressLine;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.ModelSetup;
import dev.rewind.trainer.model.Surrogate;
import dev.rewind.trainer.optim.AdamConfig;
import dev.rewind.trainer.optim.LearningRatePolicy;
import dev.rewind.trainer.optim.OptimizerConfig;
import dev.rewind.trainer.optim.SgdConfig;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.ScheduleSpec;
import dev.rewind.trainer.training.StepMetrics;
import dev.rewind.trainer.training.TrainingConfig;
import dev.rewind.trainer.training.TrainingListener;
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
  private transient Dataset<?> validation;

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

  /** One membrane time constant for every layer, or one per layer. */
  public SpikingSequenceClassifier setTau(double... value) {
    set(tau(), value);
    return this;
  }

  /** {@code lif} or {@code alif} for every layer, or one per layer, e.g. {@code alif,lif}. */
  public SpikingSequenceClassifier setNeuron(String value) {
    set(neuron(), value);
    return this;
  }

  /** The loss head: {@code mean} (the default) or {@code last:K}. */
  public SpikingSequenceClassifier setLoss(String value) {
    set(loss(), value);
    return this;
  }

  /** ALIF layers' adaptation strength: one value for every layer, or one per layer. */
  public SpikingSequenceClassifier setKappa(double... value) {
    set(kappa(), value);
    return this;
  }

  /** ALIF layers' adaptation time constant in steps: one value, or one per layer. */
  public SpikingSequenceClassifier setAdaptationTau(double... value) {
    set(adaptationTau(), value);
    return this;
  }

  public SpikingSequenceClassifier setThreshold(double value) {
    set(threshold(), value);
    return this;
  }

  public SpikingSequenceClassifier setSurrogateGamma(double value) {
    set(surrogateGamma(), value);
    return this;
  }

  public SpikingSequenceClassifier setSurrogateWidth(double value) {
    set(surrogateWidth(), value);
    return this;
  }

  public SpikingSequenceClassifier setReadoutTau(double value) {
    set(readoutTau(), value);
    return this;
  }

  /** Init scales input, recurrent, readout. */
  public SpikingSequenceClassifier setInitScales(double... value) {
    set(initScales(), value);
    return this;
  }

  public SpikingSequenceClassifier setMomentum(double value) {
    set(momentum(), value);
    return this;
  }

  public SpikingSequenceClassifier setNesterov(boolean value) {
    set(nesterov(), value);
    return this;
  }

  /** Trainable time constants of every layer, or of none (MODEL_SPEC v2). */
  public SpikingSequenceClassifier setTrainTau(boolean value) {
    return setTrainTau(Boolean.toString(value));
  }

  /** Which layers train their time constants: true or false once, or one per layer. */
  public SpikingSequenceClassifier setTrainTau(String perLayer) {
    set(trainTau(), perLayer);
    return this;
  }

  /** A trainable readout leak, one per class (MODEL_SPEC v2). */
  public SpikingSequenceClassifier setTrainReadoutTau(boolean value) {
    set(trainReadoutTau(), value);
    return this;
  }

  public SpikingSequenceClassifier setAdamBeta1(double value) {
    set(adamBeta1(), value);
    return this;
  }

  public SpikingSequenceClassifier setAdamBeta2(double value) {
    set(adamBeta2(), value);
    return this;
  }

  public SpikingSequenceClassifier setAdamEpsilon(double value) {
    set(adamEpsilon(), value);
    return this;
  }

  public SpikingSequenceClassifier setWeightDecay(double value) {
    set(weightDecay(), value);
    return this;
  }

  public SpikingSequenceClassifier setLearningRatePolicy(String value) {
    set(learningRatePolicy(), value);
    return this;
  }

  public SpikingSequenceClassifier setWarmupSteps(int value) {
    set(warmupSteps(), value);
    return this;
  }

  public SpikingSequenceClassifier setMinLearningRateFactor(double value) {
    set(minLearningRateFactor(), value);
    return this;
  }

  /** 0 for full BPTT (default), K > 0 for truncated BPTT over K-step windows. */
  /** The trainable time constants' learning rate, as a factor on every other parameter's. */
  public SpikingSequenceClassifier setTimeConstantRate(double value) {
    set(timeConstantRate(), value);
    return this;
  }

  public SpikingSequenceClassifier setTruncation(int value) {
    set(truncation(), value);
    return this;
  }

  /**
   * Sets every model Param (layers, recurrence, tau, neurons, threshold, loss head, surrogate,
   * readout tau, init scales, seed, channels and classes) from one value; {@link #modelSetup()}
   * gives it back.
   */
  public SpikingSequenceClassifier setModelSetup(ModelSetup setup) {
    ModelConfig c = setup.network();
    setLayers(c.layers().stream().mapToInt(LayerConfig::size).toArray());
    setRecurrence(RecurrenceSpec.of(c.layers()));
    setTau(c.layers().stream().mapToDouble(LayerConfig::tau).toArray());
    setNeuron(String.join(",", c.layers().stream().map(LayerConfig::neuron).toList()));
    // LIF layers keep the defaults: kappa and adaptationTau apply to ALIF layers only
    setKappa(
        c.layers().stream()
            .mapToDouble(l -> l.adaptive() ? l.kappa() : getOrDefault(kappa())[0])
            .toArray());
    setAdaptationTau(
        c.layers().stream()
            .mapToDouble(
                l -> l.adaptive() ? LayerConfig.tauOf(l.rho()) : getOrDefault(adaptationTau())[0])
            .toArray());
    setThreshold(c.theta());
    setLoss(c.loss().toString());
    List<String> trainable = c.layers().stream().map(l -> Boolean.toString(l.trainTau())).toList();
    setTrainTau(
        trainable.stream().distinct().count() == 1
            ? trainable.get(0)
            : String.join(",", trainable));
    setTrainReadoutTau(c.trainReadoutTau());
    if (c.surrogate() instanceof Surrogate.Triangle t) {
      setSurrogate("triangle").setSurrogateWidth(t.width());
    } else if (c.surrogate() instanceof Surrogate.FastSigmoid f) {
      setSurrogate("fast_sigmoid").setSurrogateGamma(f.gamma());
    }
    setReadoutTau(LayerConfig.tauOf(c.betaOut()));
    InitScheme init = setup.init();
    setInitScales(init.inputScale(), init.recurrentScale(), init.readoutScale());
    setSeed(setup.seed());
    setNumChannels(c.inputSize());
    return setNumClasses(c.classes());
  }

  /**
   * Sets every training Param (epochs, batch size, optimizer and its settings, learning-rate
   * policy, clipping, truncation) from one value; {@link #trainingConfig()} gives it back.
   */
  public SpikingSequenceClassifier setTrainingConfig(TrainingConfig training) {
    setEpochs(training.epochs());
    setBatchSize(training.batchSize());
    OptimizerConfig opt = training.optimizer();
    setLearningRate(opt.learningRate());
    if (opt instanceof SgdConfig sgd) {
      setOptimizer("sgd").setMomentum(sgd.momentum()).setNesterov(sgd.nesterov());
      setWeightDecay(sgd.weightDecay());
    } else if (opt instanceof AdamConfig adam) {
      setOptimizer("adam").setAdamBeta1(adam.beta1()).setAdamBeta2(adam.beta2());
      setAdamEpsilon(adam.epsilon()).setWeightDecay(adam.weightDecay());
    }
    if (training.learningRatePolicy() instanceof LearningRatePolicy.Cosine cos) {
      setLearningRatePolicy("cosine");
      setWarmupSteps(Math.toIntExact(cos.warmupSteps()));
      setMinLearningRateFactor(cos.minFactor());
    } else {
      setLearningRatePolicy("constant");
    }
    setGradientClipNorm(training.clipNorm());
    setTimeConstantRate(training.timeConstantRate());
    return setTruncation(training.truncation());
  }

  /**
   * Held-out sequences (the training data's columns) scored after every epoch of the next fits;
   * their loss and accuracy reach {@link TrainingListener#onEpoch}. Not a Param: not saved, not
   * copied. Null clears it.
   */
  public SpikingSequenceClassifier setValidationSet(Dataset<?> validation) {
    this.validation = validation;
    return this;
  }

  public SpikingSequenceClassifier setSchedule(String value) {
    set(schedule(), value);
    return this;
  }

  public SpikingSequenceClassifier setSchedule(ScheduleSpec value) {
    return setSchedule(value.text());
  }

  public SpikingSequenceClassifier setMemoryBudget(String value) {
    set(memoryBudget(), value);
    return this;
  }

  public SpikingSequenceClassifier setMemoryBudget(MemoryBudget value) {
    return setMemoryBudget(value.text());
  }

  public SpikingSequenceClassifier setOffChipLocation(String value) {
    set(offChipLocation(), value);
    return this;
  }

  /** {@code packs} (the default) or {@code files}: see {@link OffChip}. */
  public SpikingSequenceClassifier setOffChipLayout(String value) {
    set(offChipLayout(), value);
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
   * batched run: 0 (default) as many as the memory budget allows, which is fastest and gives the
   * same gradient to float rounding; 1 computes each sequence alone (per-sequence gradients summed,
   * bit for bit).
   */
  public SpikingSequenceClassifier setTaskBatchSize(int value) {
    set(taskBatchSize(), value);
    return this;
  }

  /**
   * Runs up to {@code value} optimizer steps in one Spark job under data parallelism: 0 (default)
   * every step of an epoch, its tasks trading gradient sums and parameters with the driver over
   * Spark's own RPC; 1 one job per step (broadcast, tasks, tree aggregation), as MLlib does. Both
   * give the same updates bit for bit. The cluster must run every task slot at once; when it
   * cannot, the fit runs a job per step and says so in the log.
   */
  public SpikingSequenceClassifier setStepsPerJob(int value) {
    set(stepsPerJob(), value);
    return this;
  }

  /**
   * {@code data} (default): each task trains whole sequences. {@code segments:S} or {@code
   * segments:S,micro=M}: every sequence is cut in time into S near-equal segments, segment k of
   * every sequence in partition k, kept on the executor that computed it; a step is a forward wave
   * and a backward wave of jobs over M micro-batches of the mini-batch (default M = S), the driver
   * keeping the boundary states and adjoints. For a few sequences too long for one executor: the
   * gradient is the whole sequences' bit for bit per micro-batch. {@code auto}: data parallelism
   * unless the longest sequence does not fit {@code memoryBudget} whole under the schedule, then
   * the fewest segments whose longest fits (logged with the reason before the first job).
   */
  public SpikingSequenceClassifier setParallelism(String value) {
    set(parallelism(), value);
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

  /** The per-step labels the per-step loss head reads ({@code array<int>}, -1: none). */
  public SpikingSequenceClassifier setStepLabelsCol(String value) {
    set(stepLabelsCol(), value);
    return this;
  }

  /** The per-step targets the regression head reads ({@code array<array<float>>}, NaN: none). */
  public SpikingSequenceClassifier setTargetsCol(String value) {
    set(targetsCol(), value);
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

  /**
   * Trains every epoch: checks the schema (and the validation set's) before any job, then every row
   * in one cheap pass ({@link InputCheck}: labels, widths, channels, event times, finite values,
   * the first bad rows named), then runs the distributed loop, scoring the validation set after
   * each epoch when one is set.
   */
  @Override
  public SpikingSequenceClassificationModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    if (validation != null) {
      transformSchema(validation.schema());
    }
    SparkContext sc = dataset.sparkSession().sparkContext();
    TrainingOptions options = trainingOptions(sc);
    OffChipStores.requireWritable(options.offChip(), sc.hadoopConfiguration());
    OffChipStores.sweepStale(options.offChip(), sc.hadoopConfiguration());
    InputCheck rows =
        new InputCheck(inputColumns(), supervision(), getNumChannels(), getNumClasses());
    rows.requireValid(dataset, "training rows");
    if (validation != null) {
      rows.requireValid(validation, "validation rows");
    }
    TrainingData data = TrainingData.load(dataset, inputColumns(), supervision(), getNumClasses());
    JsonLinesMetricsWriter metrics = null;
    HeldOutScorer heldOut = null;
    try {
      data.table().requireLossWindow(options.model().network().loss(), "training rows");
      List<TrainingListener> all = new ArrayList<>();
      int stepsPerEpoch = (int) options.training().stepsPerEpoch(data.table().size());
      all.add(new ProgressLine(options.training().epochs(), stepsPerEpoch));
      if (!valueOf(metricsPath()).isEmpty()) {
        metrics = new JsonLinesMetricsWriter(valueOf(metricsPath()), sc.hadoopConfiguration());
        all.add(metrics);
      }
      all.add(listener);
      if (validation != null) {
        heldOut =
            HeldOutScorer.load(
                validation,
                inputColumns(),
                options.model().network(),
                options.tasks(),
                options.training().batchSize());
      }
      DistributedTrainer.EpochScorer scorer =
          heldOut == null ? DistributedTrainer.EpochScorer.NONE : heldOut;
      DistributedTrainer.TrainingResult result =
          new DistributedTrainer(options, uid).fit(data, sc, TrainingListener.all(all), scorer);
      return modelWith(result.parameters(), result.history())
          .setEpochs(result.epochs())
          .setParallelismUsed(result.parallelism().toString());
    } catch (IOException e) {
      throw new UncheckedIOException("metrics file " + valueOf(metricsPath()), e);
    } finally {
      data.release();
      OffChipStores.sweepStaleAfterFit(options.offChip(), sc.hadoopConfiguration());
      if (heldOut != null) {
        heldOut.close();
      }
      if (metrics != null) {
        try {
          metrics.close();
        } catch (IOException e) {
          throw new UncheckedIOException("metrics file " + valueOf(metricsPath()), e);
        }
      }
    }
  }

  SpikingSequenceClassificationModel modelWith(float[] parameters, List<StepMetrics> history) {
    SpikingSequenceClassificationModel model =
        new SpikingSequenceClassificationModel(uid, parameters, history);
    copyValues(model, ParamMap.empty());
    return model.setParent(this);
  }

  /** The validated training settings of these Params for a fit on {@code sc}. */
  TrainingOptions trainingOptions(SparkContext sc) {
    int tasks = (Integer) valueOf(numTasks());
    return new TrainingOptions(
        modelSetup(),
        trainingConfig(),
        new TaskSchedule(scheduleSpec(), budget()),
        new OffChip(valueOf(offChipLocation()), valueOf(offChipLayout())),
        tasks == 0 ? sc.defaultParallelism() : tasks,
        valueOf(checkpointPath()),
        (Integer) valueOf(checkpointInterval()),
        (Integer) valueOf(taskBatchSize()),
        Parallelism.parse(valueOf(parallelism())),
        (Integer) valueOf(stepsPerJob()));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    inputColumns().validate(schema, supervision());
    modelSetup();
    trainingConfig();
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
