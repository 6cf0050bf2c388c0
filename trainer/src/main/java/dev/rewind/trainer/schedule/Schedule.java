package dev.rewind.trainer.schedule;

import java.util.Iterator;

/**
 * A checkpoint schedule for one sequence length: a lazily generated stream of {@link Action}s whose
 * semantics {@link Action} defines. Implementations are immutable; {@link #actions()} starts a
 * fresh stream on every call and each stream holds O(memory slots + log T) state, never a list of T
 * actions.
 */
public interface Schedule {

  /** T, the number of steps the schedule reverses. */
  long steps();

  /** A new stream of the schedule's actions, generated on demand. */
  Iterator<Action> actions();

  /** Most memory slots and tape steps the actions hold. */
  Footprint footprint();

  /**
   * Predicted time of the whole schedule under {@code cost}, computed without generating the
   * actions; equal to the sum of {@link CostModel#seconds(Action)} over {@link #actions()}.
   */
  double predictedSeconds(CostModel cost);

  /** Short description with parameters, e.g. {@code double(K=1000,k=32)}. */
  String description();
}
