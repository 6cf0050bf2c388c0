package dev.rewind.spark.metrics;

import dev.rewind.trainer.training.StepMetrics;
import dev.rewind.trainer.training.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs one line per step on the driver (logger {@code dev.rewind.spark.progress}, INFO). */
public final class ProgressLine implements TrainingListener {
  private static final Logger LOG = LoggerFactory.getLogger("dev.rewind.spark.progress");
  private final int epochs;
  private final int stepsPerEpoch;

  public ProgressLine(int epochs, int stepsPerEpoch) {
    this.epochs = epochs;
    this.stepsPerEpoch = stepsPerEpoch;
  }

  @Override
  public void onStep(StepMetrics m) {
    if (LOG.isInfoEnabled()) {
      LOG.info(
          String.format(
              "rewind epoch %d/%d step %d/%d: loss %.4f, accuracy %.3f, %d sequences, %.0f ms"
                  + " (driver %.1f ms), off-chip %d B written",
              m.epoch() + 1,
              epochs,
              m.step() + 1,
              stepsPerEpoch,
              m.loss(),
              m.accuracy(),
              m.sequences(),
              m.stepMillis(),
              m.driverMillis(),
              m.offChipBytesWritten()));
    }
  }
}
