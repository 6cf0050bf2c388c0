package dev.rewind.trainer.checkpoint;

import dev.rewind.trainer.internal.calibration.CostCalibrator;
import dev.rewind.trainer.internal.runner.ExecutorSettings;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.ScheduleSpec;
import java.nio.file.Path;

/**
 * How a {@link SequenceTrainer} computes gradients.
 *
 * @param schedule which schedule, e.g. {@code ScheduleSpec.parse("auto")}
 * @param budget memory for saved states and tape (the planners' accounting), used by {@code auto}
 * @param slowTierName names the slow tier in the calibration cache (e.g. {@code local-disk}, {@code
 *     hdfs})
 * @param calibrationCache directory of cached calibrations
 * @param calibrationSteps steps of the calibration burst, at least 8
 * @param inputChunkSteps steps per chunk of input frames streamed through the slow store, or 0 to
 *     read the frames directly (they must then be random-access)
 * @param inputCachedChunks chunks of input frames kept on the heap, at least 2
 * @param executor executor tuning
 * @param truncation 0 for full BPTT, or K > 0 for truncated BPTT over K-step windows counted back
 *     from the end ({@link dev.rewind.trainer.bptt.LifEngine#LifEngine(ModelConfig, int, int)})
 */
public record TrainerSettings(
    ScheduleSpec schedule,
    MemoryBudget budget,
    String slowTierName,
    Path calibrationCache,
    int calibrationSteps,
    int inputChunkSteps,
    int inputCachedChunks,
    ExecutorSettings executor,
    int truncation) {

  public TrainerSettings {
    if (truncation < 0) {
      throw new IllegalArgumentException(
          "truncation: expected 0 (full BPTT) or a window of K > 0 steps, got " + truncation);
    }
    if (schedule == null || budget == null || executor == null || calibrationCache == null) {
      throw new IllegalArgumentException(
          "expected a schedule, budget, calibration cache and executor settings, got "
              + schedule
              + ", "
              + budget
              + ", "
              + calibrationCache
              + ", "
              + executor);
    }
    if (slowTierName == null || slowTierName.isBlank()) {
      throw new IllegalArgumentException(
          "slowTierName: expected a name, got '" + slowTierName + "'");
    }
    if (calibrationSteps < 8) {
      throw new IllegalArgumentException(
          "calibrationSteps: expected >= 8, got " + calibrationSteps);
    }
    if (inputChunkSteps < 0 || inputCachedChunks < 2) {
      throw new IllegalArgumentException(
          "expected inputChunkSteps >= 0 and inputCachedChunks >= 2, got "
              + inputChunkSteps
              + " and "
              + inputCachedChunks);
    }
  }

  /**
   * Defaults: calibration cached in {@link CostCalibrator#defaultCacheDir()} from a 48-step burst,
   * inputs streamed in chunks of 256 steps with 4 kept, default executor tuning.
   */
  public static TrainerSettings of(ScheduleSpec schedule, MemoryBudget budget, String tierName) {
    return new TrainerSettings(
        schedule,
        budget,
        tierName,
        CostCalibrator.defaultCacheDir(),
        48,
        256,
        4,
        ExecutorSettings.DEFAULT,
        0);
  }

  public TrainerSettings withCalibrationCache(Path dir) {
    return new TrainerSettings(
        schedule,
        budget,
        slowTierName,
        dir,
        calibrationSteps,
        inputChunkSteps,
        inputCachedChunks,
        executor,
        truncation);
  }

  /** The same settings with truncated BPTT over {@code steps}-step windows (0: full BPTT). */
  public TrainerSettings withTruncation(int steps) {
    return new TrainerSettings(
        schedule,
        budget,
        slowTierName,
        calibrationCache,
        calibrationSteps,
        inputChunkSteps,
        inputCachedChunks,
        executor,
        steps);
  }

  /** The same settings with the network's kernels on {@code threads} threads. */
  public TrainerSettings withKernelThreads(int threads) {
    return new TrainerSettings(
        schedule,
        budget,
        slowTierName,
        calibrationCache,
        calibrationSteps,
        inputChunkSteps,
        inputCachedChunks,
        executor.withKernelThreads(threads),
        truncation);
  }

  /** The same settings reading frames directly (0) or streaming them in chunks of this size. */
  public TrainerSettings withInputChunkSteps(int steps) {
    return new TrainerSettings(
        schedule,
        budget,
        slowTierName,
        calibrationCache,
        calibrationSteps,
        steps,
        inputCachedChunks,
        executor,
        truncation);
  }
}
