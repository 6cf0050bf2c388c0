package dev.rewind.trainer.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link Adam} and {@link Sgd} share: a base learning rate scaled by a schedule, a step
 * counter, per-entry state buffers of the parameters' length, the checks done before an update, and
 * state export and import by buffer name. A subclass only writes the per-entry update.
 */
abstract sealed class ElementwiseOptimizer implements Optimizer permits Adam, Sgd {

  private final String algorithm;
  private final double learningRate;
  private final LearningRateSchedule schedule;
  private final int size;
  private final Map<String, float[]> buffers = new LinkedHashMap<>();
  private float[] rateFactors;
  private long step;

  /**
   * @param bufferNames the state buffers, in export order, each allocated with {@code size} zeros
   * @throws IllegalArgumentException if {@code size} is negative
   */
  ElementwiseOptimizer(
      String algorithm,
      double learningRate,
      LearningRateSchedule schedule,
      int size,
      List<String> bufferNames) {
    this.algorithm = algorithm;
    this.learningRate = learningRate;
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    if (size < 0) {
      throw new IllegalArgumentException("size: expected >= 0, got " + size);
    }
    this.size = size;
    for (String name : bufferNames) {
      buffers.put(name, new float[size]);
    }
  }

  @Override
  public final void scaleRates(float[] factors) {
    OptimizerChecks.sameLength("rate factors", factors, size);
    for (int i = 0; i < factors.length; i++) {
      if (!(factors[i] > 0) || Float.isInfinite(factors[i])) {
        throw new IllegalArgumentException(
            "rate factors: expected finite values > 0, got " + factors[i] + " at index " + i);
      }
    }
    rateFactors = factors.clone();
  }

  /** Entry i's factor on the learning rate, or null where every entry's is 1. */
  final float[] rateFactors() {
    return rateFactors;
  }

  /** Returns the state buffer {@code name}, updated in place by {@link #update}. */
  final float[] buffer(String name) {
    return buffers.get(name);
  }

  /**
   * Applies the update with the gradient already checked.
   *
   * @param lr the learning rate of this step
   * @param k the 1-based number of this step
   */
  abstract void update(float[] params, float[] grad, double lr, long k);

  @Override
  public final int size() {
    return size;
  }

  @Override
  public final long stepCount() {
    return step;
  }

  @Override
  public final double nextLearningRate() {
    return learningRate * schedule.factor(step);
  }

  @Override
  public final void step(float[] params, float[] grad) {
    OptimizerChecks.sameLength("params", params, size);
    OptimizerChecks.sameLength("grad", grad, size);
    OptimizerChecks.finite(grad);
    update(params, grad, nextLearningRate(), step + 1);
    step++;
  }

  @Override
  public final OptimizerState exportState() {
    return new OptimizerState(algorithm, step, buffers);
  }

  @Override
  public final void importState(OptimizerState state) {
    state.requireShape(algorithm, Set.copyOf(buffers.keySet()), size);
    buffers.forEach(state::copyBufferInto);
    step = state.step();
  }
}
