package dev.rewind.spark.ml;

import dev.rewind.spark.internal.train.Parallelism;
import dev.rewind.trainer.model.LossSpec;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.ScheduleSpec;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import scala.Function1;

/**
 * The Param objects of one {@link SequenceParams} instance (Spark needs them owned by that
 * instance's uid). Declarations, docs and validators live here once; defaults are in {@link
 * SequenceParams#setSequenceDefaults}.
 */
final class SequenceParamSet {
  final IntArrayParam layers;
  final Param<String> recurrence;
  final DoubleArrayParam tau;
  final Param<String> neuron;
  final Param<String> loss;
  final DoubleArrayParam kappa;
  final DoubleArrayParam adaptationTau;
  final DoubleParam threshold;
  final Param<String> surrogate;
  final DoubleParam surrogateGamma;
  final DoubleParam surrogateWidth;
  final DoubleParam readoutTau;
  final DoubleArrayParam initScales;
  final DoubleParam momentum;
  final BooleanParam nesterov;
  final Param<String> trainTau;
  final BooleanParam trainReadoutTau;
  final DoubleParam adamBeta1;
  final DoubleParam adamBeta2;
  final DoubleParam adamEpsilon;
  final DoubleParam weightDecay;
  final Param<String> learningRatePolicy;
  final IntParam warmupSteps;
  final DoubleParam minLearningRateFactor;
  final IntParam truncation;
  final DoubleParam timeConstantRate;
  final Param<String> schedule;
  final Param<String> memoryBudget;
  final Param<String> offChipLocation;
  final Param<String> offChipLayout;
  final IntParam epochs;
  final IntParam batchSize;
  final Param<String> optimizer;
  final DoubleParam learningRate;
  final DoubleParam gradientClipNorm;
  final LongParam seed;
  final IntParam numTasks;
  final IntParam taskBatchSize;
  final IntParam stepsPerJob;
  final Param<String> parallelism;
  final IntParam numChannels;
  final IntParam numClasses;
  final Param<String> inputFormat;
  final Param<String> framesCol;
  final Param<String> eventTimesCol;
  final Param<String> eventChannelsCol;
  final Param<String> lengthCol;
  final Param<String> labelCol;
  final Param<String> stepLabelsCol;
  final Param<String> targetsCol;
  final Param<String> sequenceIdCol;
  final Param<String> chunkIndexCol;
  final Param<String> checkpointPath;
  final IntParam checkpointInterval;
  final Param<String> metricsPath;
  final Param<String> predictionCol;
  final Param<String> probabilityCol;

  SequenceParamSet(Params p) {
    layers =
        new IntArrayParam(
            p,
            "layers",
            "widths of the LIF layers, input side first",
            Validators.<int[]>of(
                a -> a.length > 0 && java.util.Arrays.stream(a).allMatch(n -> n > 0)));
    recurrence =
        new Param<>(
            p,
            "recurrence",
            "which LIF layers have a recurrent matrix R: first (default), recurrent (all),"
                + " feedforward (none), or one true/false per layer, e.g. true,false",
            Validators.<String>parsing("recurrence", v -> RecurrenceSpec.check(v)));
    tau =
        new DoubleArrayParam(
            p,
            "tau",
            "membrane time constant in steps (beta = exp(-1/tau)): one value for every layer or"
                + " one per layer, each > 0",
            Validators.<double[]>of(
                a -> a.length > 0 && java.util.Arrays.stream(a).allMatch(t -> t > 0 && t < 1e9)));
    neuron =
        new Param<>(
            p,
            "neuron",
            "neuron model: lif or alif (adaptive threshold, MODEL_SPEC v2), one for every layer"
                + " or one per layer, e.g. alif,lif",
            Validators.<String>parsing("neuron", v -> requireEachLayer(v, "lif", "alif")));
    loss =
        new Param<>(
            p,
            "loss",
            "loss head: mean (softmax cross-entropy of the readout averaged over every step, one"
                + " label per sequence in labelCol), last:K (averaged over the last K steps),"
                + " per-step (cross-entropy at every labelled step, stepLabelsCol) or regression"
                + " (squared error at every targeted step, targetsCol)",
            Validators.<String>parsing("loss", LossSpec::parse));
    kappa =
        new DoubleArrayParam(
            p,
            "kappa",
            "ALIF layers: how much the adaptation raises the threshold, one value or one per"
                + " layer, each > 0",
            Validators.<double[]>of(
                a -> a.length > 0 && java.util.Arrays.stream(a).allMatch(k -> k > 0 && k < 1e9)));
    adaptationTau =
        new DoubleArrayParam(
            p,
            "adaptationTau",
            "ALIF layers: adaptation time constant in steps (rho = exp(-1/tau_a)), one value or"
                + " one per layer, each > 0",
            Validators.<double[]>of(
                a -> a.length > 0 && java.util.Arrays.stream(a).allMatch(t -> t > 0 && t < 1e9)));
    threshold =
        new DoubleParam(
            p, "threshold", "spike threshold theta (> 0)", Validators.doubleAtLeast(0, true));
    surrogate =
        new Param<>(
            p,
            "surrogate",
            "spike surrogate gradient: fast_sigmoid or triangle",
            Validators.oneOf("fast_sigmoid", "triangle"));
    surrogateGamma =
        new DoubleParam(
            p,
            "surrogateGamma",
            "fast_sigmoid's gamma in 1/(1+gamma|v-theta|)^2 (> 0)",
            Validators.doubleAtLeast(0, true));
    surrogateWidth =
        new DoubleParam(
            p,
            "surrogateWidth",
            "triangle's half-width w in max(0, 1-|v-theta|/w)/w (> 0)",
            Validators.doubleAtLeast(0, true));
    readoutTau =
        new DoubleParam(
            p,
            "readoutTau",
            "readout time constant in steps (beta_o = exp(-1/readoutTau), > 0)",
            Validators.doubleAtLeast(0, true));
    initScales =
        new DoubleArrayParam(
            p,
            "initScales",
            "weight init scales input,recurrent,readout: uniform +-scale/sqrt(fan_in), each >= 0",
            Validators.<double[]>of(
                a ->
                    a.length == 3
                        && java.util.Arrays.stream(a).allMatch(x -> x >= 0 && Double.isFinite(x))));
    schedule =
        new Param<>(
            p,
            "schedule",
            "checkpoint schedule (" + ScheduleSpec.FORMS + "); auto: fastest within the budget",
            Validators.<String>parsing("schedule", ScheduleSpec::parse));
    memoryBudget =
        new Param<>(
            p,
            "memoryBudget",
            "on-chip memory per task for tapes and checkpoints, e.g. 256m or 2g",
            Validators.<String>parsing("memoryBudget", MemoryBudget::parse));
    offChipLocation =
        new Param<>(
            p,
            "offChipLocation",
            "off-chip tier: empty for the executors' local dirs, or any Hadoop URI",
            Validators.<String>of(s -> s.isEmpty() || s.contains(":")));
    offChipLayout =
        new Param<>(
            p,
            "offChipLayout",
            "packs (blobs appended to a few large files) or files (one file per blob, slower)",
            Validators.oneOf("packs", "files"));
    epochs = new IntParam(p, "epochs", "passes over the data (> 0)", Validators.intAtLeast(1));
    batchSize =
        new IntParam(
            p, "batchSize", "sequences per optimizer step (> 0)", Validators.intAtLeast(1));
    optimizer = new Param<>(p, "optimizer", "adam or sgd", Validators.oneOf("adam", "sgd"));
    learningRate =
        new DoubleParam(
            p, "learningRate", "optimizer learning rate (> 0)", Validators.doubleAtLeast(0, true));
    gradientClipNorm =
        new DoubleParam(
            p,
            "gradientClipNorm",
            "global gradient-norm clipping threshold; 0 turns clipping off",
            Validators.doubleAtLeast(0, false));
    momentum =
        new DoubleParam(
            p,
            "momentum",
            "sgd momentum in [0, 1); 0 is plain SGD",
            Validators.of(v -> (Double) v >= 0 && (Double) v < 1));
    nesterov = new BooleanParam(p, "nesterov", "sgd: Nesterov momentum (needs momentum > 0)");
    trainTau =
        new LayerFlagsParam(
            p,
            "trainTau",
            "trainable time constants (MODEL_SPEC v2): a neuron's membrane leak and an ALIF"
                + " neuron's adaptation decay become parameters, initialised from tau and"
                + " adaptationTau; true or false for every layer, or one per layer, e.g."
                + " false,true",
            Validators.<String>parsing("trainTau", v -> requireEachLayer(v, "true", "false")));
    trainReadoutTau =
        new BooleanParam(
            p,
            "trainReadoutTau",
            "trainable readout leak (MODEL_SPEC v2): each class's own, initialised from"
                + " readoutTau");
    adamBeta1 =
        new DoubleParam(
            p,
            "adamBeta1",
            "adam: decay of the first moment, in [0, 1)",
            Validators.of(v -> (Double) v >= 0 && (Double) v < 1));
    adamBeta2 =
        new DoubleParam(
            p,
            "adamBeta2",
            "adam: decay of the second moment, in [0, 1)",
            Validators.of(v -> (Double) v >= 0 && (Double) v < 1));
    adamEpsilon =
        new DoubleParam(
            p, "adamEpsilon", "adam: denominator term (> 0)", Validators.doubleAtLeast(0, true));
    weightDecay =
        new DoubleParam(
            p,
            "weightDecay",
            "L2 penalty added to the gradient (>= 0)",
            Validators.doubleAtLeast(0, false));
    learningRatePolicy =
        new Param<>(
            p,
            "learningRatePolicy",
            "constant, or cosine: linear warm-up over warmupSteps then cosine decay to"
                + " minLearningRateFactor times the rate at the last step of the fit",
            Validators.oneOf("constant", "cosine"));
    warmupSteps =
        new IntParam(
            p,
            "warmupSteps",
            "cosine policy: optimizer steps of linear warm-up (>= 0)",
            Validators.intAtLeast(0));
    minLearningRateFactor =
        new DoubleParam(
            p,
            "minLearningRateFactor",
            "cosine policy: final rate / base rate, in [0, 1]",
            Validators.of(v -> (Double) v >= 0 && (Double) v <= 1));
    truncation =
        new IntParam(
            p,
            "truncation",
            "0 for full BPTT; K > 0 for truncated BPTT over K-step windows counted back from the"
                + " end of each sequence",
            Validators.intAtLeast(0));
    timeConstantRate =
        new DoubleParam(
            p,
            "timeConstantRate",
            "factor on the learning rate of the trainable time constants (trainTau,"
                + " trainReadoutTau), their parameter group's own rate; 1 trains them at the rate"
                + " of every other parameter",
            Validators.of(v -> (Double) v > 0 && !Double.isInfinite((Double) v)));
    seed = new LongParam(p, "seed", "seed of initialisation and shuffling", Validators.anyLong());
    numTasks =
        new IntParam(
            p,
            "numTasks",
            "task slots per step; 0 means the Spark context's default parallelism",
            Validators.intAtLeast(0));
    taskBatchSize =
        new IntParam(
            p,
            "taskBatchSize",
            "most whole sequences of equal length a task computes in one batched run; 0 (auto):"
                + " as many as the memory budget allows; 1 computes each sequence alone (the sum"
                + " of per-sequence gradients, bit for bit)",
            Validators.intAtLeast(0));
    stepsPerJob =
        new IntParam(
            p,
            "stepsPerJob",
            "under data parallelism, the most optimizer steps one Spark job runs, its tasks trading"
                + " gradient sums and parameters with the driver over Spark's RPC; 0 (default):"
                + " every step of an epoch; 1: a job per step. The same updates bit for bit",
            Validators.intAtLeast(0));
    parallelism =
        new Param<>(
            p,
            "parallelism",
            "data: each task trains whole sequences; segments:S[,micro=M]: every sequence is cut"
                + " in time into S segments trained by S tasks in forward and backward waves over M"
                + " micro-batches (default M = S), for a few sequences too long for one executor;"
                + " auto: data unless the longest sequence does not fit memoryBudget whole, then the"
                + " fewest segments that fit",
            Validators.<String>parsing("parallelism", Parallelism::parse));
    numChannels =
        new IntParam(p, "numChannels", "input channels per frame (> 0)", Validators.intAtLeast(1));
    numClasses =
        new IntParam(p, "numClasses", "number of classes (>= 2)", Validators.intAtLeast(2));
    inputFormat =
        new Param<>(
            p,
            "inputFormat",
            "dense (array<array<float>> frames) or events (times, channels, length)",
            Validators.oneOf("dense", "events"));
    framesCol = column(p, "framesCol", "dense frames, array<array<float>>");
    eventTimesCol = column(p, "eventTimesCol", "event times in the row, array<int>");
    eventChannelsCol = column(p, "eventChannelsCol", "event channels, array<int>");
    lengthCol = column(p, "lengthCol", "steps in the row (events format), int");
    labelCol = column(p, "labelCol", "class label of the sequence (loss mean or last:K), int");
    stepLabelsCol =
        column(
            p,
            "stepLabelsCol",
            "class label at every step of the row (loss per-step), -1 for none, array<int>");
    targetsCol =
        column(
            p,
            "targetsCol",
            "target vector of numClasses values at every step of the row (loss regression), NaN"
                + " or a null vector for none, array<array<float>>");
    sequenceIdCol =
        new Param<>(
            p,
            "sequenceIdCol",
            "sequence id column (bigint or int) when a sequence spans rows; empty: one row each",
            Validators.<String>of(s -> true));
    chunkIndexCol = column(p, "chunkIndexCol", "chunk position in its sequence, int");
    checkpointPath =
        new Param<>(
            p,
            "checkpointPath",
            "Hadoop directory for training state (resume); empty for none",
            Validators.<String>of(s -> true));
    checkpointInterval =
        new IntParam(
            p,
            "checkpointInterval",
            "save training state every this many steps (> 0)",
            Validators.intAtLeast(1));
    metricsPath =
        new Param<>(
            p,
            "metricsPath",
            "Hadoop path for per-step metrics as JSON lines; empty for none",
            Validators.<String>of(s -> true));
    predictionCol = column(p, "predictionCol", "output: predicted class, double");
    probabilityCol = column(p, "probabilityCol", "output: class probabilities, vector");
  }

  private static Param<String> column(Params p, String name, String doc) {
    return new Param<>(p, name, doc, Validators.<String>of(s -> !s.isEmpty()));
  }

  /**
   * Fails unless every comma-separated item of {@code value}, one per layer, is {@code a} or {@code
   * b}.
   */
  private static void requireEachLayer(String value, String a, String b) {
    for (String item : value.split(",", -1)) {
      if (!item.equals(a) && !item.equals(b)) {
        throw new IllegalArgumentException(
            "expected "
                + a
                + " or "
                + b
                + " for each layer, got '"
                + item
                + "' in '"
                + value
                + "'");
      }
    }
  }

  /**
   * A Param of one true/false per layer, written as a JSON string; reads a JSON boolean too, as
   * models saved when the Param was one flag for every layer wrote it.
   */
  private static final class LayerFlagsParam extends Param<String> {
    private static final long serialVersionUID = 1L;

    LayerFlagsParam(Params parent, String name, String doc, Function1<String, Object> isValid) {
      super(parent, name, doc, isValid);
    }

    @Override
    public String jsonDecode(String json) {
      String trimmed = json.trim();
      return trimmed.equals("true") || trimmed.equals("false") ? trimmed : super.jsonDecode(json);
    }
  }
}
