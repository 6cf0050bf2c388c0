package dev.rewind.trainer.petra;

import java.util.List;

/**
 * Observes stage-parallel training. PETRA calls it from its stage threads, concurrently:
 * implementations must be thread-safe. Every method has an empty default.
 */
interface PetraListener {

  /** A listener that ignores everything. */
  PetraListener NONE = new PetraListener() {};

  /** The head finished micro-batch {@code id} (loss and accuracy before its update). */
  default void onMicroBatch(long id, LeakyReadout.HeadResult result) {}

  /**
   * Stage {@code stage} rebuilt the input of its first block for micro-batch {@code id}; {@code
   * relativeError} is ||rebuilt - input seen by the forward|| / ||input seen by the forward||.
   */
  default void onReconstruction(int stage, long id, double relativeError) {}

  /**
   * Stage {@code stage} is about to apply update {@code update} with these averaged gradients, one
   * array per module it owns (stem first, readout last); the arrays must not be modified or kept.
   */
  default void onUpdate(int stage, long update, List<float[]> gradients) {}
}
