package dev.rewind.trainer.internal.runner;

import dev.rewind.trainer.schedule.Action;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A schedule's action stream with a bounded look-ahead: the executor takes actions one by one and
 * may inspect the next {@code size} without consuming them, so it can announce loads early while
 * the plan itself stays streamed (never more than {@code size} actions held).
 */
final class ActionWindow {
  private final Iterator<Action> source;
  private final ArrayDeque<Action> ahead = new ArrayDeque<>();
  private final int size;

  ActionWindow(Iterator<Action> source, int size) {
    this.source = source;
    this.size = size;
  }

  boolean hasNext() {
    return !ahead.isEmpty() || source.hasNext();
  }

  Action next() {
    fill();
    if (ahead.isEmpty()) {
      throw new NoSuchElementException("no more actions");
    }
    return ahead.poll();
  }

  /** The upcoming actions (at most {@code size}), in order, not consumed. */
  Iterable<Action> upcoming() {
    fill();
    return ahead;
  }

  private void fill() {
    while (ahead.size() < size && source.hasNext()) {
      ahead.add(source.next());
    }
  }
}
