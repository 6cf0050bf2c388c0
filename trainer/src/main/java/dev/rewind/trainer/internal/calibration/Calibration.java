package dev.rewind.trainer.internal.calibration;

import dev.rewind.trainer.schedule.CostModel;
import dev.rewind.trainer.schedule.TierCost;

/**
 * A cost model measured on this machine for one model shape, batch size and slow tier, as cached in
 * JSON by {@link CostCalibrator}.
 *
 * @param version format version of the cached file ({@link #VERSION})
 * @param model the model config's JSON
 * @param batch sequences per batch
 * @param tier the slow tier's name
 * @param steps steps the burst ran
 * @param forwardSeconds one forward step without tape
 * @param tapedForwardSeconds one forward step recording its tape
 * @param reverseSeconds one backward step
 * @param stateBytes heap bytes of one saved state
 * @param tapeBytesPerStep heap bytes of one taped step
 * @param memoryWriteSeconds copying a state into a memory slot
 * @param memoryReadSeconds copying it back
 * @param slowWriteSeconds writing a state to the slow tier (encoding and I/O)
 * @param slowReadSeconds reading it back (I/O and decoding)
 * @param measuredAt when, ISO-8601
 */
public record Calibration(
    int version,
    String model,
    int batch,
    String tier,
    int steps,
    double forwardSeconds,
    double tapedForwardSeconds,
    double reverseSeconds,
    long stateBytes,
    long tapeBytesPerStep,
    double memoryWriteSeconds,
    double memoryReadSeconds,
    double slowWriteSeconds,
    double slowReadSeconds,
    String measuredAt) {

  /** The current format version; files of another version are measured again. */
  public static final int VERSION = 1;

  /** The schedule planners' view of these measurements. */
  public CostModel toCostModel() {
    return new CostModel(
        forwardSeconds,
        tapedForwardSeconds,
        reverseSeconds,
        stateBytes,
        tapeBytesPerStep,
        new TierCost(memoryWriteSeconds, memoryReadSeconds),
        new TierCost(slowWriteSeconds, slowReadSeconds));
  }
}
