package dev.rewind.trainer.optim;

/**
 * Updates a flat parameter vector in place from a flat gradient of the same length.
 *
 * <p>Lifecycle: create one optimizer per parameter vector (through {@link OptimizerConfig#create}
 * or a constructor), then call {@link #step} once per update with the current parameters and their
 * gradient. Each call advances {@link #stepCount()} by one. To checkpoint training, save {@link
 * #exportState()} next to the parameters; to resume, create an optimizer with the same config and
 * schedule and call {@link #importState}: the following steps are then bit-identical to those of an
 * optimizer that never stopped.
 *
 * <p>{@code step} checks the whole gradient before it changes anything: a gradient holding NaN or
 * an infinity is rejected with an {@link IllegalArgumentException} naming the first bad index, and
 * neither the parameters, the optimizer state nor the step counter are modified. A step allocates
 * no memory. Instances are not thread-safe.
 */
public interface Optimizer {

  /**
   * From now on entry i's learning rate is the scheduled rate times {@code factors[i]} (a parameter
   * group's own rate, as in PyTorch); all 1 until called.
   *
   * @throws IllegalArgumentException if the length differs from {@link #size()} or a factor is not
   *     finite and > 0
   */
  void scaleRates(float[] factors);

  /** Returns the number of parameters this optimizer updates. */
  int size();

  /** Returns the number of steps taken so far (0 for a fresh optimizer). */
  long stepCount();

  /**
   * Returns the learning rate the next {@link #step} will use: the config's base rate times the
   * schedule's factor at {@link #stepCount()}.
   */
  double nextLearningRate();

  /**
   * Applies one update to {@code params} in place.
   *
   * @param params the parameters, length {@link #size()}; updated in place
   * @param grad the gradient of the loss with respect to {@code params}, length {@link #size()};
   *     read only
   * @throws IllegalArgumentException if a length differs from {@link #size()} or {@code grad} holds
   *     a non-finite value; nothing is modified then
   */
  void step(float[] params, float[] grad);

  /** Returns a deep copy of this optimizer's state, step counter included. */
  OptimizerState exportState();

  /**
   * Replaces this optimizer's state with a copy of {@code state}.
   *
   * @throws IllegalArgumentException if {@code state} belongs to another algorithm, holds other
   *     buffers or buffers of another length
   */
  void importState(OptimizerState state);
}
