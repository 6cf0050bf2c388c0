/**
 * PETRA: a network of reversible stages (couplings of two spiking sequence maps) trained in
 * parallel with delayed gradients, each stage on its own thread, rebuilding its input from its
 * output instead of storing it; {@link dev.rewind.trainer.petra.BackpropTrainer} runs the same
 * stages one after the other with exact store-all BPTT, the baseline. A stage's maps run their
 * backward over time through the checkpoint schedules of {@code schedule} and {@code checkpoint},
 * in memory or on an off-chip blob store. Uses those packages, {@code optim}, {@code model}, {@code
 * data} and the storage API; no Spark.
 */
package dev.rewind.trainer.petra;
