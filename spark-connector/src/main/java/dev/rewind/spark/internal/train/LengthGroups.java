package dev.rewind.spark.internal.train;

import dev.rewind.trainer.data.FrameSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whole sequences grouped by length for batched engine runs: a group goes to the sink once it holds
 * {@code size} sequences ({@code 0}: no limit), and {@link #finish()} hands on the groups left, in
 * the order their first sequence arrived.
 */
final class LengthGroups {
  /** Where full groups go. */
  interface Sink {
    void accept(List<FrameSource> group) throws IOException;
  }

  private final int size;
  private final Sink sink;
  private final Map<Integer, List<FrameSource>> pending = new LinkedHashMap<>();

  LengthGroups(int size, Sink sink) {
    this.size = size;
    this.sink = sink;
  }

  void add(FrameSource frames) throws IOException {
    List<FrameSource> group = pending.computeIfAbsent(frames.steps(), k -> new ArrayList<>());
    group.add(frames);
    if (group.size() == size) {
      pending.remove(frames.steps());
      sink.accept(group);
    }
  }

  void finish() throws IOException {
    for (List<FrameSource> group : pending.values()) {
      sink.accept(group);
    }
    pending.clear();
  }
}
