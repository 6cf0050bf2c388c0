package dev.rewind.trainer.petra;

/**
 * What a {@link SpikingSequenceMap}'s forward pass keeps for its backward pass: either the whole
 * tape ({@link SpikeTape}, store-all) or a checkpoint schedule paused after its forward sweep
 * ({@link ScheduledRecord}: checkpoints in memory or off-chip, segments recomputed with a tape
 * during the backward). Both give bit-identical gradients, since the recomputation runs the same
 * code on the same inputs.
 */
sealed interface ForwardRecord permits SpikeTape, ScheduledRecord {}
