package dev.rewind.spark.internal.train;

import dev.rewind.spark.internal.data.BatchedFrames;
import dev.rewind.spark.internal.data.SequenceStream;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.schedule.BudgetExceededException;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Adds a task's sequences to its {@link GradientSum}, grouping whole sequences of equal length into
 * batches of up to {@code size} so that the engine runs one batched computation per group. With
 * size 0 a group holds all of the task's whole sequences of one length, and a group whose batched
 * run the memory budget cannot hold ({@link BudgetExceededException}) is computed in halves. A
 * sequence spilled in chunks is computed alone as it arrives, since its frames stream from the
 * off-chip store. With size 1 every sequence is computed alone in arrival order.
 *
 * <p>One gradient function per batch size is created on first use and kept until {@link #close()}:
 * full groups share one, and the groups left at the end (at most one per length) may need others.
 */
final class TaskBatches implements AutoCloseable {
  private final int size;
  private final IntFunction<SequenceGradient> factory;
  private final GradientSum sum;
  private final Map<Integer, SequenceGradient> gradients = new HashMap<>();
  private final LengthGroups groups;

  /**
   * @param size the most sequences per batched computation, >= 1, or 0 for as many as fit
   * @param factory a gradient function for batches of the given size (closed by this)
   * @param sum where results are added
   */
  TaskBatches(int size, IntFunction<SequenceGradient> factory, GradientSum sum) {
    if (size < 0) {
      throw new IllegalArgumentException("taskBatchSize: expected >= 0 (0 = auto), got " + size);
    }
    this.size = size;
    this.factory = factory;
    this.sum = sum;
    this.groups = new LengthGroups(size, this::compute);
  }

  /** Computes {@code s} now or holds it until its group is full or {@link #finish()} runs. */
  void add(SequenceStream.Sequence s) throws IOException {
    FrameSource frames = s.frames();
    if (size == 1 || s.chunks() > 1) {
      compute(List.of(frames));
      return;
    }
    groups.add(frames);
  }

  /** Computes the groups still held, in the order their first sequence arrived. */
  void finish() throws IOException {
    groups.finish();
  }

  private void compute(List<FrameSource> group) throws IOException {
    int n = group.size();
    SequenceGradient g = gradients.computeIfAbsent(n, factory::apply);
    FrameSource frames = n == 1 ? group.get(0) : new BatchedFrames(group);
    SequenceResult result;
    try {
      result = g.compute(frames);
    } catch (BudgetExceededException tooLarge) {
      if (size != 0 || n == 1) {
        throw tooLarge;
      }
      compute(group.subList(0, n / 2));
      compute(group.subList(n / 2, n));
      return;
    }
    sum.add(result, n);
  }

  @Override
  public void close() {
    for (SequenceGradient g : gradients.values()) {
      g.close();
    }
  }
}
