package dev.rewind.spark.ml;

import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.ScheduleSpec;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The Param objects of one {@link SequenceParams} instance (Spark needs them owned by that
 * instance's uid). Declarations, docs and validators live here once; defaults are in {@link
 * SequenceParams#setSequenceDefaults}.
 */
final class SequenceParamSet {
  final IntArrayParam layers;
  final Param<String> recurrence;
  final Param<String> surrogate;
  final Param<String> schedule;
  final Param<String> memoryBudget;
  final Param<String> offChipLocation;
  final IntParam epochs;
  final IntParam batchSize;
  final Param<String> optimizer;
  final DoubleParam learningRate;
  final DoubleParam gradientClipNorm;
  final LongParam seed;
  final IntParam numTasks;
  final IntParam taskBatchSize;
  final IntParam numChannels;
  final IntParam numClasses;
  final Param<String> inputFormat;
  final Param<String> framesCol;
  final Param<String> eventTimesCol;
  final Param<String> eventChannelsCol;
  final Param<String> lengthCol;
  final Param<String> labelCol;
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
            "recurrent (every layer has R) or feedforward",
            Validators.oneOf("recurrent", "feedforward"));
    surrogate =
        new Param<>(
            p,
            "surrogate",
            "spike surrogate gradient: fast_sigmoid or triangle",
            Validators.oneOf("fast_sigmoid", "triangle"));
    schedule =
        new Param<>(
            p,
            "schedule",
            "checkpoint schedule (" + ScheduleSpec.FORMS + "); auto: fastest within the budget",
            Validators.<String>of(
                s -> {
                  try {
                    ScheduleSpec.parse(s);
                    return true;
                  } catch (IllegalArgumentException e) {
                    return false;
                  }
                }));
    memoryBudget =
        new Param<>(
            p,
            "memoryBudget",
            "on-chip memory per task for tapes and checkpoints, e.g. 256m or 2g",
            Validators.of(
                s -> {
                  try {
                    MemoryBudget.parse(s);
                    return true;
                  } catch (IllegalArgumentException e) {
                    return false;
                  }
                }));
    offChipLocation =
        new Param<>(
            p,
            "offChipLocation",
            "off-chip tier: empty for the executors' local dirs, or any Hadoop URI",
            Validators.<String>of(s -> s.isEmpty() || s.contains(":")));
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
            "most whole sequences of equal length a task computes in one batched run (>= 1);"
                + " 1 computes each sequence alone",
            Validators.intAtLeast(1));
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
    labelCol = column(p, "labelCol", "class label, int");
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
}
