/**
 * The LIF network as a {@link dev.rewind.trainer.internal.runner.SteppedSystem}: {@link
 * dev.rewind.trainer.internal.lif.LifSystem} (step kernels, chunked tape, loss head), its state
 * codec for off-chip checkpoints, and {@link dev.rewind.trainer.internal.lif.CheckpointExecutor},
 * which runs a schedule on it through the runner and reuses idle systems of the same shape.
 * Machinery of {@code SequenceTrainer}, not API. May use {@code bptt}, {@code model}, {@code data},
 * {@code schedule} and {@code internal.runner}.
 */
package dev.rewind.trainer.internal.lif;
