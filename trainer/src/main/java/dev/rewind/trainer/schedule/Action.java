package dev.rewind.trainer.schedule;

/**
 * One instruction of a checkpoint schedule, interpreted by an executor against a real model and
 * real stores. Actions are plain immutable data; a planner knows nothing of tensors.
 *
 * <p>Vocabulary. The sequence has {@code T} steps; step {@code t} (0 &lt;= t &lt; T) maps state
 * {@code t} to state {@code t + 1}. State 0 is the initial state, state {@code T} the final one.
 * The executor holds:
 *
 * <ul>
 *   <li>the <b>current state</b>: one working state buffer, initially state 0. It is not a slot and
 *       is always live;
 *   <li><b>saved states</b>: copies of states in a {@link Placement}; each saved state in {@link
 *       Placement#MEMORY} is one <b>live slot</b> from its {@link Save} to its {@link Free};
 *   <li>the <b>tape</b>: for each taped step {@code t}, the entry the backward step of {@code t}
 *       needs (spikes in and out, surrogate derivative). Tape entries live in memory from the
 *       {@link Advance} that records them to the {@link Reverse} that consumes them;
 *   <li>the <b>adjoint</b>: the gradient with respect to state {@code a}, where {@code a} is the
 *       adjoint position; it is seeded at {@code T} by {@link EndForward} and moves down to 0.
 * </ul>
 *
 * <p>Every schedule has two phases. The forward sweep advances from state 0 to state {@code T}
 * through every step exactly once, in order, saving and taping as it goes (no {@link Load}, no
 * {@link Reverse}); the executor accumulates the loss during it. {@link EndForward} follows the
 * action that first makes state {@code T} current. The backward sweep then reverses every step
 * exactly once, from {@code T - 1} down to 0, loading and recomputing as needed. At the end the
 * tape is empty and no saved state remains.
 */
public sealed interface Action
    permits Action.Advance,
        Action.Save,
        Action.Load,
        Action.Free,
        Action.Reverse,
        Action.EndForward {

  /**
   * Runs steps {@code from .. to - 1} starting from the current state, which must be state {@code
   * from}; afterwards state {@code to} is current. If {@code taped}, the tape entries of those
   * steps are recorded and kept in memory until reversed; otherwise nothing but the new current
   * state is kept. Advances after {@link EndForward} are recomputations.
   */
  record Advance(long from, long to, boolean taped) implements Action {
    public Advance {
      if (from < 0 || to <= from) {
        throw new IllegalArgumentException(
            "expected 0 <= from < to, got from=" + from + ", to=" + to);
      }
    }

    /** Number of steps run. */
    public long steps() {
      return to - from;
    }
  }

  /**
   * Copies the current state, which must be state {@code step}, into {@code tier}. In {@link
   * Placement#MEMORY} the copy occupies one live slot until {@link Free}. The current state is
   * unchanged.
   */
  record Save(long step, Placement tier) implements Action {
    public Save {
      requireStep(step);
      requireTier(tier);
    }
  }

  /**
   * Makes a copy of saved state {@code step} from {@code tier} the current state. The saved copy
   * stays saved (and its slot live) until {@link Free}.
   */
  record Load(long step, Placement tier) implements Action {
    public Load {
      requireStep(step);
      requireTier(tier);
    }
  }

  /** Drops saved state {@code step} from {@code tier}; a memory slot stops being live. */
  record Free(long step, Placement tier) implements Action {
    public Free {
      requireStep(step);
      requireTier(tier);
    }
  }

  /**
   * Runs the backward steps {@code to - 1} down to {@code from}, in that order, as one batch. The
   * adjoint position must be {@code to} and becomes {@code from}; every step in the range must be
   * on the tape, and its tape entry is consumed (released). The current state is not used and not
   * changed.
   */
  record Reverse(long from, long to) implements Action {
    public Reverse {
      if (from < 0 || to <= from) {
        throw new IllegalArgumentException(
            "expected 0 <= from < to, got from=" + from + ", to=" + to);
      }
    }

    /** Number of steps reversed. */
    public long steps() {
      return to - from;
    }
  }

  /**
   * The forward sweep is complete and state {@code T} is current: the executor finishes the loss
   * and seeds the adjoint of state {@code T}. Emitted exactly once, before any {@link Reverse}.
   */
  record EndForward() implements Action {}

  private static void requireStep(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("expected step >= 0, got " + step);
    }
  }

  private static void requireTier(Placement tier) {
    if (tier == null) {
      throw new IllegalArgumentException("expected a tier, got null");
    }
  }
}
