package dev.rewind.spark.internal.train;

import dev.rewind.spark.internal.data.BatchedFrames;
import dev.rewind.spark.internal.data.Chunk;
import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.trainer.bptt.NetworkState;
import dev.rewind.trainer.checkpoint.SegmentBoundary;
import dev.rewind.trainer.checkpoint.SegmentResult;
import dev.rewind.trainer.checkpoint.SequenceTrainer;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.schedule.RunMetrics;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * The task of one segment of one micro-batch in a wave of a segment-parallel step. Its partition is
 * segment k of every sequence; it reads the rows of its step's micro-batch, then either advances
 * them from the boundary state the driver handed it and returns the end state (forward wave, which
 * saves nothing), or runs its segment's schedule from that state, with checkpoints in the task's
 * off-chip store, and reverses it from the adjoint and the gradient so far the driver handed it
 * (backward wave). The store is closed, deleting its files, whether the task succeeds or fails; a
 * retried or lost task runs again from the driver's boundary state with the same result.
 */
final class SegmentTask
    implements FlatMapFunction<Iterator<Tuple2<SegmentKey, Chunk>>, SegmentWork.Output> {
  private static final long serialVersionUID = 1L;
  private final TaskSetup setup;
  private final int step;
  private final boolean backward;
  private final Broadcast<SegmentPlan> plan;
  private final Broadcast<float[]> parameters;
  private final Broadcast<SegmentWork.Input[]> inputs;

  /**
   * @param inputs per segment, the work of this wave's job for it (null where it has none)
   */
  SegmentTask(
      TaskSetup setup,
      int step,
      boolean backward,
      Broadcast<SegmentPlan> plan,
      Broadcast<float[]> parameters,
      Broadcast<SegmentWork.Input[]> inputs) {
    this.setup = setup;
    this.step = step;
    this.backward = backward;
    this.plan = plan;
    this.parameters = parameters;
    this.inputs = inputs;
  }

  @Override
  public Iterator<SegmentWork.Output> call(Iterator<Tuple2<SegmentKey, Chunk>> rows)
      throws Exception {
    SegmentPlan p = plan.value();
    Map<Long, List<Chunk>> sequences = new LinkedHashMap<>();
    SegmentWork.Input in = null;
    while (rows.hasNext()) {
      Tuple2<SegmentKey, Chunk> row = rows.next();
      SegmentKey key = row._1();
      if (key.step() < step) {
        continue;
      }
      if (in == null) {
        in = inputs.value()[key.segment()];
        if (in == null) {
          return List.<SegmentWork.Output>of().iterator();
        }
      }
      if (key.step() > step || key.microBatch() > in.microBatch()) {
        break;
      }
      if (key.microBatch() == in.microBatch()) {
        sequences.computeIfAbsent(key.sequence(), id -> new ArrayList<>()).add(row._2());
      }
    }
    if (in == null) {
      return List.<SegmentWork.Output>of().iterator();
    }
    return List.of(run(p, in, sequences)).iterator();
  }

  private SegmentWork.Output run(
      SegmentPlan p, SegmentWork.Input in, Map<Long, List<Chunk>> sequences) throws Exception {
    int k = in.segment();
    long[] members = p.members()[step][in.microBatch()];
    long length = p.length(step, in.microBatch());
    long from = p.bound(length, k);
    long to = p.bound(length, k + 1);
    ModelConfig config = setup.model();
    List<FrameSource> frames = new ArrayList<>(members.length);
    for (long id : members) {
      List<Chunk> chunks = sequences.get(id);
      if (chunks == null) {
        throw new IllegalStateException(
            "segment " + k + " of step " + step + ": no rows of sequence " + id);
      }
      long[] starts = new long[chunks.size()];
      for (int i = 0; i < starts.length; i++) {
        starts[i] = p.chunkStart(id, chunks.get(i).index());
      }
      frames.add(new SegmentFrames(chunks, starts, from, to, config.inputSize()));
    }
    FrameSource batch = frames.size() == 1 ? frames.get(0) : new BatchedFrames(frames);
    Parameters params = Parameters.wrap(config, parameters.value());
    TaskContext context = TaskContext.get();
    int cpus = context == null ? 1 : Math.max(1, context.cpus());
    // The forward wave saves nothing: it needs no off-chip store.
    try (BlobStore store = backward ? OffChipStores.open(setup.offChip()) : BlobStores.heap(1);
        SequenceTrainer trainer =
            SequenceGradients.trainer(
                config,
                setup.schedule(),
                store,
                setup.offChip().tierName(),
                OffChipStores.calibrationCache(),
                setup.truncation(),
                cpus,
                members.length)) {
      if (!backward) {
        NetworkState end = trainer.advance(params, batch, in.initial());
        return new SegmentWork.Output(
            k, in.microBatch(), end, null, null, 0, 0, to - from, 0, 0, 0, 0);
      }
      SequenceGradients.calibrate(trainer, params, batch);
      SegmentResult r =
          trainer.gradient(
              params,
              batch,
              new SegmentBoundary(
                  (int) from,
                  Math.toIntExact(length),
                  in.initial(),
                  in.finalAdjoint(),
                  in.gradientSoFar()));
      store.flush();
      RunMetrics m = r.metrics();
      return new SegmentWork.Output(
          k,
          in.microBatch(),
          null,
          r.initialAdjoint(),
          r.gradient(),
          r.loss() == null ? 0 : r.loss().loss() * members.length,
          r.loss() == null ? 0 : r.loss().correct(),
          m.advancedSteps(),
          m.recomputedSteps(),
          m.blockedIoNanos(),
          m.peakBytes(),
          store.metrics().storageIo().bytesWritten());
    }
  }
}
