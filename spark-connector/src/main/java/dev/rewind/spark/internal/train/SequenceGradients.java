package dev.rewind.spark.internal.train;

import dev.rewind.storage.BlobStore;
import dev.rewind.trainer.bptt.LossResult;
import dev.rewind.trainer.checkpoint.CheckpointResult;
import dev.rewind.trainer.checkpoint.SequenceTrainer;
import dev.rewind.trainer.checkpoint.TrainerSettings;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.schedule.RunMetrics;
import java.nio.file.Path;

/**
 * Creates the {@link SequenceGradient} tasks use: the trainer's {@link SequenceTrainer}, which
 * plans the configured schedule (or {@code auto}) within the memory budget, with checkpoints in the
 * task's off-chip store. Every schedule gives the loss and gradient of store-all BPTT bit for bit.
 */
final class SequenceGradients {
  /**
   * Tasks of one executor share a calibration cache; the calibrator is not safe against two threads
   * writing the same entry, so the first calibration in a JVM runs alone.
   */
  private static final Object CALIBRATION_LOCK = new Object();

  private SequenceGradients() {}

  /**
   * A gradient function for batches of exactly {@code batch} sequences per call, for {@code config}
   * at {@code parameters} (not copied, not modified). The trainer averages loss and gradient over
   * what the batch scored (its sequences, or its labelled steps under a per-step head); the result
   * is multiplied back to sums (exact where one is scored).
   *
   * @param offChip the task attempt's off-chip store (owned by the caller)
   * @param tierName names the off-chip tier in the calibration cache, e.g. {@code local-disk}
   * @param calibrationCache directory of cached cost calibrations
   * @param truncation 0 for full BPTT, K > 0 for truncated BPTT over K-step windows
   * @param kernelThreads threads of the network's kernels: the task's {@code spark.task.cpus}
   */
  public static SequenceGradient create(
      ModelConfig config,
      float[] parameters,
      TaskSchedule schedule,
      BlobStore offChip,
      String tierName,
      Path calibrationCache,
      int truncation,
      int kernelThreads,
      int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("sequence gradient batch: expected >= 1, got " + batch);
    }
    Parameters p = Parameters.wrap(config, parameters);
    SequenceTrainer trainer =
        trainer(
            config,
            schedule,
            offChip,
            tierName,
            calibrationCache,
            truncation,
            kernelThreads,
            batch);
    return new SequenceGradient() {
      private boolean calibrated;

      @Override
      public SequenceResult compute(FrameSource frames) throws java.io.IOException {
        if (frames.batchSize() != batch) {
          throw new IllegalArgumentException(
              "sequence gradient: expected "
                  + batch
                  + " sequences per call, got "
                  + frames.batchSize());
        }
        if (!calibrated) {
          calibrate(trainer, p, frames);
          calibrated = true;
        }
        CheckpointResult r = trainer.gradient(p, frames);
        RunMetrics m = r.metrics();
        LossResult loss = r.bptt().result();
        float[] gradient = SequenceResult.sumOfMean(r.gradient(), loss.scored());
        return new SequenceResult(
            r.loss() * loss.scored(),
            loss.correct(),
            loss.scored(),
            gradient,
            m.advancedSteps(),
            m.recomputedSteps(),
            m.blockedIoNanos(),
            m.peakBytes());
      }

      @Override
      public void close() {
        trainer.close();
      }
    };
  }

  /** The trainer a task computes batches of {@code batch} sequences (or segments) with. */
  static SequenceTrainer trainer(
      ModelConfig config,
      TaskSchedule schedule,
      BlobStore offChip,
      String tierName,
      Path calibrationCache,
      int truncation,
      int kernelThreads,
      int batch) {
    TrainerSettings settings =
        TrainerSettings.of(schedule.spec(), schedule.budget(), tierName)
            .withCalibrationCache(calibrationCache)
            .withInputChunkSteps(0)
            .withTruncation(truncation)
            .withKernelThreads(kernelThreads);
    return new SequenceTrainer(config, batch, offChip, settings);
  }

  /** Calibrates {@code trainer}'s cost model, one calibration at a time in this JVM. */
  static void calibrate(SequenceTrainer trainer, Parameters parameters, FrameSource frames)
      throws java.io.IOException {
    synchronized (CALIBRATION_LOCK) {
      trainer.costModel(parameters, frames);
    }
  }
}
