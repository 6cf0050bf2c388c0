/**
 * Exact BPTT for LIF networks, built on one unit of work, the segment: {@link
 * dev.rewind.trainer.bptt.LifEngine#advance} takes a {@link dev.rewind.trainer.bptt.NetworkState}
 * from step t1 to t2 (optionally recording a {@link dev.rewind.trainer.bptt.Tape}), and {@link
 * dev.rewind.trainer.bptt.LifEngine#reverse} takes the {@link dev.rewind.trainer.bptt.StateAdjoint}
 * at t2 back to t1 while adding parameter gradients to a {@link
 * dev.rewind.trainer.bptt.GradientAccumulator}. A whole sequence is one segment from the zero
 * state, seeded by {@link dev.rewind.trainer.bptt.LossHead#seed}; {@link
 * dev.rewind.trainer.bptt.StoreAllBptt} does exactly that. Results are bit-identical for every
 * split into segments.
 */
package dev.rewind.trainer.bptt;
