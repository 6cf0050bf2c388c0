package dev.rewind.spark.internal.train;

import dev.rewind.spark.CueTask;
import dev.rewind.spark.data.InputColumns;
import dev.rewind.spark.data.InputFormat;
import dev.rewind.spark.data.Supervision;
import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.data.DenseFrames;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.LossSpec;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.Surrogate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** One batch of the cue task, a model, its parameters and the single-JVM reference gradient. */
public final class GradientFixture {
  public static final long SEED = 20261123L;
  public final CueTask task;
  public final ModelConfig config;
  public final float[] parameters;

  public GradientFixture(int sequences, int steps, int channels) {
    this(sequences, steps, channels, LossSpec.MEAN);
  }

  /** As {@link #GradientFixture(int, int, int)}, with the loss head {@code head}. */
  public GradientFixture(int sequences, int steps, int channels, LossSpec head) {
    System.out.println("gradient fixture seed " + SEED + ", loss " + head);
    this.task = new CueTask(SEED, sequences, steps, channels);
    this.config =
        new ModelConfig(
            channels,
            List.of(new LayerConfig(16, true), new LayerConfig(12, true)),
            2,
            new Surrogate.FastSigmoid(Surrogate.FastSigmoid.DEFAULT_GAMMA),
            ModelConfig.DEFAULT_THETA,
            ModelConfig.DEFAULT_BETA_OUT,
            head);
    this.parameters = Parameters.initialise(config, SEED, InitScheme.DEFAULT).data();
  }

  public static InputColumns dense(String sequenceIdCol) {
    return columns(InputFormat.DENSE, sequenceIdCol);
  }

  /** The event columns of the rows {@code CueTask.eventRows} builds. */
  public static InputColumns events(String sequenceIdCol) {
    return columns(InputFormat.EVENTS, sequenceIdCol);
  }

  /** The columns the CueTask rows carry, read as {@code format}. */
  private static InputColumns columns(InputFormat format, String sequenceIdCol) {
    return new InputColumns(
        format,
        "frames",
        "event_times",
        "event_channels",
        "length",
        "label",
        sequenceIdCol,
        "chunk_idx");
  }

  /** Mean gradient of the whole batch in one single-JVM store-all BPTT call. */
  public float[] batchedReference() {
    StoreAllBptt bptt = new StoreAllBptt(config, task.sequences);
    DenseFrames frames =
        new DenseFrames(task.allFrames(), task.sequences, task.steps, task.channels, task.labels());
    return bptt.run(Parameters.wrap(config, parameters.clone()), frames).gradient();
  }

  /** Mean gradient from per-sequence gradients summed in sequence order, in double. */
  public float[] sequentialReference() {
    long[][] one = new long[task.sequences][];
    for (int b = 0; b < task.sequences; b++) {
      one[b] = new long[] {b};
    }
    return reference(one).meanGradient();
  }

  /** One distributed step over all sequences (one mini-batch) with {@code slots} tasks. */
  public GradientSum distributed(
      Dataset<Row> rows, InputColumns columns, int slots, String offChip, String run) {
    return distributed(rows, columns, slots, offChip, run, "auto");
  }

  /** As above with a named schedule. */
  public GradientSum distributed(
      Dataset<Row> rows,
      InputColumns columns,
      int slots,
      String offChip,
      String run,
      String schedule) {
    return distributed(rows, columns, slots, offChip, run, schedule, 1);
  }

  /** As above, each task computing up to {@code taskBatch} sequences per batched run. */
  public GradientSum distributed(
      Dataset<Row> rows,
      InputColumns columns,
      int slots,
      String offChip,
      String run,
      String schedule,
      int taskBatch) {
    return distributed(rows, columns, slots, offChip, run, schedule, taskBatch, Supervision.LABEL);
  }

  /** As above, the rows carrying what {@code supervision} says (the fixture's head reads). */
  public GradientSum distributed(
      Dataset<Row> rows,
      InputColumns columns,
      int slots,
      String offChip,
      String run,
      String schedule,
      int taskBatch,
      Supervision supervision) {
    TrainingData data = TrainingData.load(rows, columns, supervision, config.classes());
    try {
      EpochPlan plan = EpochPlan.create(data.table(), SEED, 0, task.sequences, slots);
      TaskSetup setup =
          TaskSetup.of(
              config,
              TaskSchedule.of(schedule, "256m"),
              new OffChip(offChip, "packs"),
              run,
              taskBatch,
              0);
      return new DistributedStep(setup).run(data.layOut(plan, true), 0, parameters);
    } finally {
      data.release();
    }
  }

  /** One segment-parallel step over all sequences (one mini-batch), and the plan it ran. */
  public record SegmentRun(GradientSum sum, SegmentPlan plan) {}

  /** As {@link #distributed}, cut into segments as {@code parallelism} says. */
  public SegmentRun segmentParallel(
      Dataset<Row> rows,
      InputColumns columns,
      Parallelism parallelism,
      String offChip,
      String run,
      String schedule) {
    return segmentParallel(rows, columns, parallelism, offChip, run, schedule, Supervision.LABEL);
  }

  /** As above, the rows carrying what {@code supervision} says (the fixture's head reads). */
  public SegmentRun segmentParallel(
      Dataset<Row> rows,
      InputColumns columns,
      Parallelism parallelism,
      String offChip,
      String run,
      String schedule,
      Supervision supervision) {
    TrainingData data = TrainingData.load(rows, columns, supervision, config.classes());
    try {
      EpochPlan epoch = EpochPlan.create(data.table(), SEED, 0, task.sequences, 1);
      SegmentPlan plan = SegmentPlan.create(epoch, data.chunkSteps(), parallelism, task.sequences);
      TaskSetup setup =
          TaskSetup.of(
              config, TaskSchedule.of(schedule, "256m"), new OffChip(offChip, "packs"), run, 0, 0);
      org.apache.spark.broadcast.Broadcast<SegmentPlan> b =
          org.apache.spark.api.java.JavaSparkContext.fromSparkContext(
                  rows.sparkSession().sparkContext())
              .broadcast(plan);
      var laidOut = data.layOutSegments(b, new String[0]);
      try {
        int slots = rows.sparkSession().sparkContext().defaultParallelism();
        return new SegmentRun(new SegmentStep(setup, slots).run(laidOut, b, 0, parameters), plan);
      } finally {
        SegmentStep.releaseKept(laidOut, run);
        b.destroy();
      }
    } finally {
      data.release();
    }
  }

  /**
   * The single-JVM gradient of the plan's micro-batches of step 0: each micro-batch's whole
   * sequences in one store-all run, summed in micro-batch order as the segment step sums them.
   */
  public GradientSum microBatchReference(SegmentPlan plan) {
    return microBatchReference(plan, this::sequence);
  }

  /** As above, sequence b read from {@code sequences.apply(b)} (a batch of one). */
  public GradientSum microBatchReference(
      SegmentPlan plan, java.util.function.IntFunction<FrameSource> sequences) {
    return reference(plan.members()[0], sequences);
  }

  /** Sequence b of the task as a batch of one. */
  private FrameSource sequence(int b) {
    return new DenseFrames(task.frames(b), 1, task.steps, task.channels, new int[] {task.label(b)});
  }

  private GradientSum reference(long[][] groups) {
    return reference(groups, this::sequence);
  }

  /** Store-all BPTT of each group of sequences (ids = positions) as one batch, summed in order. */
  private GradientSum reference(
      long[][] groups, java.util.function.IntFunction<FrameSource> sequences) {
    GradientSum sum = new GradientSum(parameters.length);
    try (BlobStore store = BlobStores.heap(1L << 28)) {
      for (long[] members : groups) {
        List<FrameSource> frames = new java.util.ArrayList<>();
        for (long id : members) {
          frames.add(sequences.apply((int) id));
        }
        try (SequenceGradient g =
            SequenceGradients.create(
                config,
                parameters,
                TaskSchedule.of("store-all", "256m"),
                store,
                "heap",
                Path.of(System.getProperty("java.io.tmpdir"), "calibration"),
                0,
                1,
                members.length)) {
          sum.add(
              g.compute(
                  frames.size() == 1
                      ? frames.get(0)
                      : new dev.rewind.spark.internal.data.BatchedFrames(frames)),
              members.length);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sum;
  }
}
