package dev.rewind.trainer.schedule;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** Iterates the actions of a fragment tree, expanding fragments only when reached. */
final class LazyActions implements Iterator<Action> {

  private final Deque<Fragment> pending = new ArrayDeque<>();

  LazyActions(Fragment root) {
    pending.push(root);
  }

  @Override
  public boolean hasNext() {
    while (!pending.isEmpty() && !(pending.peek() instanceof Fragment.Emit)) {
      List<Fragment> parts = pending.pop().expand();
      for (int i = parts.size() - 1; i >= 0; i--) {
        pending.push(parts.get(i));
      }
    }
    return !pending.isEmpty();
  }

  /** Fragments waiting to be expanded or emitted: the generator's whole memory. */
  int pending() {
    return pending.size();
  }

  @Override
  public Action next() {
    if (!hasNext()) {
      throw new NoSuchElementException("the schedule has no more actions");
    }
    return ((Fragment.Emit) pending.pop()).action();
  }
}
