package dev.rewind.trainer.schedule;

import java.util.List;

/**
 * A piece of a plan not yet turned into actions. {@link LazyActions} expands fragments on demand,
 * depth first, so a plan of any length is generated with memory proportional to the nesting depth
 * of its fragments, not to its length. Loops are written as a fragment that expands into one
 * iteration followed by the fragment for the remaining iterations.
 */
@FunctionalInterface
interface Fragment {

  /** The parts this fragment stands for, in execution order. */
  List<Fragment> expand();

  /** A fragment that is a single action. */
  static Fragment emit(Action action) {
    return new Emit(action);
  }

  /**
   * Runs steps {@code from..to-1} with tape and reverses them at once; when {@code to} is the
   * chain's last step {@code steps}, the forward sweep ends in between.
   */
  static List<Fragment> tapeAndReverse(long from, long to, long steps) {
    Fragment advance = emit(new Action.Advance(from, to, true));
    Fragment reverse = emit(new Action.Reverse(from, to));
    if (to == steps) {
      return List.of(advance, emit(new Action.EndForward()), reverse);
    }
    return List.of(advance, reverse);
  }

  /** A leaf: one action, expanded by emitting it. */
  record Emit(Action action) implements Fragment {
    @Override
    public List<Fragment> expand() {
      return List.of(this);
    }
  }
}
