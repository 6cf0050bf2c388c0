package dev.rewind.examples.cli;

import dev.rewind.examples.spark.InputTable;
import dev.rewind.spark.data.InputColumns;
import dev.rewind.spark.data.Supervision;
import dev.rewind.spark.internal.data.BatchedFrames;
import dev.rewind.spark.internal.data.Chunk;
import dev.rewind.spark.internal.data.RowDecoder;
import dev.rewind.spark.internal.train.OffChip;
import dev.rewind.spark.internal.train.OffChipStores;
import dev.rewind.spark.internal.train.TaskCpus;
import dev.rewind.storage.BlobStore;
import dev.rewind.trainer.checkpoint.SequenceTrainer;
import dev.rewind.trainer.checkpoint.TrainerSettings;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.schedule.CostModel;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.ScheduleSpec;
import dev.rewind.trainer.training.StepMetrics;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The {@link ScheduleReport} of a Spark run, made on the driver: the cost model the tasks plan with
 * (the same model, schedule, memory budget and off-chip tier) measured on the first training
 * sequence, in the executor calibration cache, so that an embedded run reuses exactly the
 * calibration its tasks made; and the steps' metrics as what the schedule used cost.
 */
final class SparkScheduleReport {
  private SparkScheduleReport() {}

  /**
   * Calibrates on the first sequence of {@code train} (its length, or its longest segment's, is the
   * report's T), repeated to the {@code sequencesPerRun} a task batches together, through a store
   * on the run's off-chip tier whose files are removed before returning; must run while the Spark
   * session is up.
   *
   * @param segments 1 for data parallelism, else S: the report is for one segment's schedule
   * @param sharing how many segments an executor keeps paused at once, which plan within that share
   *     of the memory budget (1 for data parallelism)
   */
  static ScheduleReport of(
      InputTable train,
      ModelConfig config,
      Parameters parameters,
      ScheduleOptions options,
      OffChip offChip,
      int sequencesPerRun,
      int segments,
      int sharing,
      List<StepMetrics> steps)
      throws IOException {
    List<Chunk> sequence = firstSequence(train, config);
    long length = (sequence.stream().mapToLong(Chunk::steps).sum() + segments - 1) / segments;
    ScheduleSpec spec = options.spec();
    MemoryBudget budget = options.budget().share(sharing);
    TrainerSettings settings =
        TrainerSettings.of(spec, budget, offChip.tierName())
            .withCalibrationCache(OffChipStores.calibrationCache())
            .withInputChunkSteps(0)
            // As in the tasks, whose kernels run on spark.task.cpus threads.
            .withKernelThreads(TaskCpus.of(train.rows().sparkSession()));
    try (BlobStore store = OffChipStores.open(offChip);
        SequenceTrainer trainer = new SequenceTrainer(config, sequencesPerRun, store, settings)) {
      // The calibration burst needs only the first steps: the first chunk has them.
      FrameSource first = sequence.get(0).frames(config.inputSize());
      FrameSource run =
          sequencesPerRun == 1
              ? first
              : new BatchedFrames(java.util.Collections.nCopies(sequencesPerRun, first));
      CostModel cost = trainer.costModel(parameters, run);
      String used = trainer.plan(length, cost).description();
      return ScheduleReport.of(
          length, budget, cost, spec, new SparkScheduleUsage(used, sequencesPerRun, steps));
    }
  }

  /** The chunks of the training table's first sequence (lowest id when chunked), in order. */
  private static List<Chunk> firstSequence(InputTable train, ModelConfig config) {
    InputColumns columns = train.columns();
    Supervision supervision = Supervision.of(config.loss());
    RowDecoder decoder = new RowDecoder(columns, supervision, config.classes());
    Column[] selected =
        columns.selected(supervision).stream().map(functions::col).toArray(Column[]::new);
    if (!columns.chunked()) {
      return List.of(decoder.decode(train.rows().select(selected).first(), 0));
    }
    Column id = functions.col(columns.sequenceIdCol());
    Object first = train.rows().select(functions.min(id)).first().get(0);
    List<Row> rows = train.rows().where(id.equalTo(first)).select(selected).collectAsList();
    return rows.stream()
        .map(r -> decoder.decode(r, 0))
        .sorted(Comparator.comparingInt(Chunk::index))
        .toList();
  }
}
