package dev.rewind.trainer.petra;

/**
 * Trains a {@link ReversibleNetwork} split into stages. Lifecycle: create once per network and
 * config; each {@link #train} call runs {@code microBatches} micro-batches from index {@code
 * firstIndex}, updates {@code parameters} in place and applies any gradients left at the end, so
 * the parameters are final when it returns. Optimizer state starts fresh in each call.
 */
public interface StageTrainer {

  /**
   * Trains on micro-batches {@code firstIndex .. firstIndex + microBatches - 1} of {@code data}.
   *
   * @throws IllegalArgumentException if {@code microBatches < 1} or the parameters do not fit
   */
  TrainingReport train(
      NetworkParameters parameters,
      MicroBatchSource data,
      long firstIndex,
      int microBatches,
      PetraListener listener);

  /** The trainers selectable by name (CLI {@code --trainer}). */
  enum Kind {
    /** Stage-parallel PETRA: threads, delayed gradients, reconstructed inputs. */
    PETRA,
    /** The same stages run one after the other with stored activations: exact backprop. */
    BACKPROP;

    /** Creates this kind of trainer. */
    public StageTrainer create(ReversibleNetwork network, StageConfig config) {
      return this == PETRA
          ? new PetraTrainer(network, config)
          : new BackpropTrainer(network, config);
    }
  }
}
