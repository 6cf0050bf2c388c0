package dev.rewind.spark.internal.train;

import dev.rewind.spark.internal.data.Chunk;
import dev.rewind.storage.BlobStore;
import dev.rewind.trainer.checkpoint.SequenceTrainer;
import dev.rewind.trainer.checkpoint.TrainerSettings;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.schedule.BudgetExceededException;
import dev.rewind.trainer.schedule.CostModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.spark.sql.SparkSession;

/**
 * Checks on the driver, before any training job, that the schedule fits the memory budget for the
 * longest training sequence (or, with segment parallelism, its longest segment) computed alone
 * (what a task falls back to when a batched group does not fit): the cost model is calibrated on
 * the first chunk of that sequence, through the run's off-chip tier and in the executors'
 * calibration cache, then the schedule is planned.
 */
final class BudgetCheck {
  private BudgetCheck() {}

  /** Fails naming {@code memoryBudget} when no plan of the schedule fits one sequence. */
  static void require(TrainingData data, TrainingOptions options, int truncation) {
    SequenceTable table = data.table();
    int longest = 0;
    for (int i = 1; i < table.size(); i++) {
      if (table.lengths()[i] > table.lengths()[longest]) {
        longest = i;
      }
    }
    long id = table.ids()[longest];
    int segments = Math.max(1, options.parallelism().segments());
    // A segment of S is at most ceil(T / S) steps long, and it is what a task plans for.
    long steps = (table.lengths()[longest] + segments - 1) / segments;
    Chunk first = data.firstChunk(id);
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
    try (BlobStore store = OffChipStores.open(options.offChip());
        SequenceTrainer trainer =
            new SequenceTrainer(options.model().network(), 1, store, settings)) {
      CostModel cost =
          trainer.costModel(parameters, first.frames(options.model().network().inputSize()));
      trainer.plan(steps, cost);
    } catch (BudgetExceededException e) {
      throw new IllegalArgumentException(
          "memoryBudget: expected room for "
              + options.schedule().spec().text()
              + " on the longest training sequence (id "
              + id
              + ", "
              + (segments > 1 ? "segments of " + steps : steps)
              + " steps) computed alone, got "
              + options.schedule().budget().text()
              + ": "
              + e.getMessage(),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("memory budget check through the off-chip store", e);
    }
  }
}
