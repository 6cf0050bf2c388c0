package dev.rewind.trainer.petra;

/**
 * What a {@link SpikingSequenceMap}'s forward pass keeps for its backward pass: either the whole
 * tape ({@link SpikeTape}, store-all) or the LIF state every few steps ({@link StateCheckpoints},
 * periodic checkpointing: each segment is recomputed with a tape during the backward). Both give
 * bit-identical gradients, since the recomputation runs the same code on the same inputs.
 */
public sealed interface ForwardRecord permits SpikeTape, StateCheckpoints {

  /** Largest number of bytes this record holds during its backward pass. */
  long bytes();
}
