package dev.rewind.trainer.schedule;

/**
 * The most a schedule ever holds in memory at once: saved states in {@link Placement#MEMORY} and
 * taped steps (not necessarily at the same moment). An executor may size its buffers from it; the
 * simulator checks that the actions never exceed it.
 *
 * @param memorySlots most live {@link Placement#MEMORY} slots
 * @param tapeSteps most taped steps held
 */
public record Footprint(long memorySlots, long tapeSteps) {

  public Footprint {
    if (memorySlots < 0 || tapeSteps < 0) {
      throw new IllegalArgumentException(
          "expected memorySlots >= 0 and tapeSteps >= 0, got " + memorySlots + " and " + tapeSteps);
    }
  }

  /** Upper bound on memory bytes under {@code cost}: both maxima held at once. */
  public long bytes(CostModel cost) {
    return cost.bytes(memorySlots, tapeSteps);
  }
}
