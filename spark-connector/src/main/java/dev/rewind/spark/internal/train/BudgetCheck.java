package dev.rewind.spark.internal.train;

import dev.rewind.spark.internal.data.BatchedFrames;
import dev.rewind.spark.internal.data.Chunk;
import dev.rewind.storage.BlobStore;
import dev.rewind.trainer.checkpoint.SequenceTrainer;
import dev.rewind.trainer.checkpoint.TrainerSettings;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.schedule.BudgetExceededException;
import dev.rewind.trainer.schedule.CostModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks on the driver, before any training job, that the schedule fits the memory budget for the
 * longest training sequence (or, with segment parallelism, its longest segment) computed alone
 * (what a task falls back to when a batched group does not fit): the cost model is calibrated on
 * the first chunk of that sequence, through the run's off-chip tier and in the executors'
 * calibration cache, then the schedule is planned.
 */
final class BudgetCheck {
  private static final Logger LOG = LoggerFactory.getLogger(BudgetCheck.class);

  private BudgetCheck() {}

  /**
   * Fails naming {@code memoryBudget} when no plan of the schedule fits one sequence computed alone
   * (with segment parallelism: the longest segment of a micro-batch, which a task cannot split).
   */
  static void require(TrainingData data, TrainingOptions options, int truncation) {
    Parallelism p = options.parallelism();
    int segments = Math.max(1, p.segments());
    int batch = p.bySegments() ? p.microBatchSize(options.training().batchSize()) : 1;
    try (Planner planner = new Planner(data, options, truncation, batch)) {
      planner.plan(planner.segmentSteps(segments));
    } catch (BudgetExceededException e) {
      throw tooSmall(options, data, segments, batch, e);
    }
  }

  /**
   * The parallelism of {@code options} with {@code auto} resolved: data parallelism when the
   * longest sequence fits the budget whole (or BPTT is truncated), else the fewest segments (up to
   * 64) whose longest, in a micro-batch of the default size, fits; logged with the reason. The
   * number of executors does not enter: segments never make a step faster (docs/BENCHMARKS.md,
   * "Segment parallelism"), so more of them only cost time.
   */
  static Parallelism resolve(TrainingData data, TrainingOptions options, int truncation) {
    Parallelism p = options.parallelism();
    if (!p.auto()) {
      return p;
    }
    if (truncation > 0) {
      LOG.info("parallelism auto: data (truncated BPTT trains whole sequences)");
      return Parallelism.DATA;
    }
    int batchSize = options.training().batchSize();
    BudgetExceededException first = null;
    long length = data.table().lengths()[Planner.longest(data.table())];
    // One calibrated planner per micro-batch size: many candidates share one.
    Map<Integer, Planner> planners = new HashMap<>();
    try {
      for (int s = 1; s <= Math.min(64, length); s++) {
        Parallelism candidate = s == 1 ? Parallelism.DATA : new Parallelism(s, 0, false);
        int batch = s == 1 ? 1 : candidate.microBatchSize(batchSize);
        Planner planner =
            planners.computeIfAbsent(batch, b -> new Planner(data, options, truncation, b));
        long steps = planner.segmentSteps(s);
        try {
          planner.plan(steps);
        } catch (BudgetExceededException e) {
          first = first == null ? e : first;
          continue;
        }
        LOG.info(
            "parallelism auto: {} (the longest sequence, {} steps, {} under {} within"
                + " memoryBudget {}; segments never shorten a step, whatever the executors,"
                + " since a wave's jobs run one after another: they are for memory)",
            candidate,
            length,
            s == 1
                ? "fits whole"
                : "does not fit whole; its segments of "
                    + steps
                    + " steps fit, "
                    + batch
                    + " at once",
            options.schedule().spec().text(),
            options.schedule().budget().text());
        return candidate;
      }
    } finally {
      for (Planner planner : planners.values()) {
        planner.close();
      }
    }
    throw tooSmall(options, data, 1, 1, first);
  }

  private static IllegalArgumentException tooSmall(
      TrainingOptions options,
      TrainingData data,
      int segments,
      int batch,
      BudgetExceededException e) {
    SequenceTable table = data.table();
    int longest = Planner.longest(table);
    long steps = (table.lengths()[longest] + segments - 1) / segments;
    return new IllegalArgumentException(
        "memoryBudget: expected room for "
            + options.schedule().spec().text()
            + " on the longest training sequence (id "
            + table.ids()[longest]
            + ", "
            + (segments > 1
                ? "segments of " + steps + " steps, " + batch + " sequences a micro-batch)"
                : steps + " steps) computed alone")
            + ", got "
            + options.schedule().budget().text()
            + ": "
            + e.getMessage(),
        e);
  }

  /** Plans the schedule for lengths of the longest sequence, with its cost model calibrated. */
  private static final class Planner implements AutoCloseable {
    private final BlobStore store;
    private final SequenceTrainer trainer;
    private final CostModel cost;
    private final long length;

    /** For batches of {@code batch} sequences, calibrated on copies of the first chunk. */
    Planner(TrainingData data, TrainingOptions options, int truncation, int batch) {
      SequenceTable table = data.table();
      int longest = longest(table);
      this.length = table.lengths()[longest];
      Chunk first = data.firstChunk(table.ids()[longest]);
      TrainerSettings settings =
          TrainerSettings.of(
                  options.schedule().spec(),
                  options.schedule().budget(),
                  options.offChip().tierName())
              .withCalibrationCache(OffChipStores.calibrationCache())
              .withInputChunkSteps(0)
              .withTruncation(truncation)
              .withKernelThreads(TaskCpus.of(SparkSession.active()));
      Parameters parameters = options.model().initialParameters();
      try {
        this.store = OffChipStores.open(options.offChip());
        this.trainer = new SequenceTrainer(options.model().network(), batch, store, settings);
        FrameSource one = first.frames(options.model().network().inputSize());
        this.cost =
            trainer.costModel(
                parameters,
                batch == 1 ? one : new BatchedFrames(java.util.Collections.nCopies(batch, one)));
      } catch (IOException e) {
        throw new UncheckedIOException("memory budget check through the off-chip store", e);
      }
    }

    static int longest(SequenceTable table) {
      int longest = 0;
      for (int i = 1; i < table.size(); i++) {
        if (table.lengths()[i] > table.lengths()[longest]) {
          longest = i;
        }
      }
      return longest;
    }

    /** The longest segment of the longest sequence cut into {@code segments}. */
    long segmentSteps(int segments) {
      return (length + segments - 1) / segments;
    }

    void plan(long steps) {
      trainer.plan(steps, cost);
    }

    @Override
    public void close() {
      trainer.close();
      try {
        store.close();
      } catch (IOException e) {
        throw new UncheckedIOException("memory budget check: closing the off-chip store", e);
      }
    }
  }
}
