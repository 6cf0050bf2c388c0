package dev.rewind.spark.internal.train;

import dev.rewind.spark.internal.data.BatchedFrames;
import dev.rewind.spark.internal.data.Chunk;
import dev.rewind.storage.BlobStore;
import dev.rewind.storage.tier.BlobBundle;
import dev.rewind.storage.tier.BlobBundleWriter;
import dev.rewind.trainer.bptt.LossResult;
import dev.rewind.trainer.bptt.NetworkState;
import dev.rewind.trainer.bptt.StepLoss;
import dev.rewind.trainer.checkpoint.CopiedCheckpoints;
import dev.rewind.trainer.checkpoint.PausedSegment;
import dev.rewind.trainer.checkpoint.SegmentBoundary;
import dev.rewind.trainer.checkpoint.SegmentResult;
import dev.rewind.trainer.checkpoint.SequenceTrainer;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.schedule.RunMetrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The task of one segment of one micro-batch in a wave of a segment-parallel step. Its partition is
 * segment k of every sequence; it reads the rows of its step's micro-batch and starts from the
 * boundary state the driver handed it. In the forward wave it runs its segment schedule's forward
 * sweep and keeps it paused in this executor ({@link KeptSegments}), checkpoints in memory and in
 * its off-chip store, when that pays within its share of the memory budget, else it advances
 * untaped; either way it returns the end state. When the off-chip location is a Hadoop URI, a
 * segment it keeps also copies the checkpoints it saves off-chip there ({@link CheckpointBundles})
 * and returns their steps. In the backward wave it finishes what it kept from the adjoint and the
 * gradient so far the driver handed it, or, when nothing was kept here (the forward did not keep
 * it, ran on another executor, or that executor was lost), runs the segment's backward from those
 * copies when there are any, else the whole schedule from the boundary state. Every schedule gives
 * the same bits, so a retried or moved task returns the same result. A store this task opened and
 * did not keep is closed, deleting its files, whether the task succeeds or fails.
 */
final class SegmentTask
    implements FlatMapFunction<Iterator<Tuple2<SegmentKey, Chunk>>, SegmentWork.Output> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SegmentTask.class);
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
    int m = in.microBatch();
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
    KeptSegments.Key key = new KeptSegments.Key(setup.run(), parameters.id(), k, m);
    KeptSegments.Kept kept = backward ? KeptSegments.take(key) : null;
    if (kept != null) {
      try (kept) {
        SegmentResult r =
            kept.segment().finish(in.finalAdjoint(), in.gradientSoFar(), in.stepLoss());
        return backwardOutput(in, r, kept.store());
      }
    }
    TaskContext context = TaskContext.get();
    int cpus = context == null ? 1 : Math.max(1, context.cpus());
    BlobStore store = OffChipStores.open(setup.offChip());
    BlobBundleWriter copies = null;
    SequenceTrainer trainer = null;
    try {
      trainer =
          SequenceGradients.trainer(
              config,
              setup.schedule(),
              store,
              setup.offChip().tierName(),
              OffChipStores.calibrationCache(),
              setup.truncation(),
              cpus,
              members.length);
      SequenceGradients.calibrate(trainer, params, batch);
      SegmentBoundary boundary =
          new SegmentBoundary((int) from, Math.toIntExact(length), in.initial(), null, null);
      if (!backward) {
        // Under a per-step head the last segment's backward needs the micro-batch's labelled
        // steps: every segment counts its own, the driver adds them up.
        int scored = config.loss().perStep() ? new StepLoss(config).count(batch) : 0;
        CopiedCheckpoints.Name name =
            CheckpointBundles.copies(setup.offChip())
                ? CheckpointBundles.name(setup.run(), parameters.id(), k, m)
                : null;
        copies = name == null ? null : CheckpointBundles.openForWriting(setup.offChip(), name);
        Optional<PausedSegment> paused =
            trainer.pause(params, batch, boundary, in.sharing(), copies, name);
        // The copies a backward on another executor can read: none where nothing was saved
        // off-chip.
        CopiedCheckpoints made =
            paused.map(PausedSegment::copies).filter(c -> c.steps().length > 0).orElse(null);
        if (made != null) {
          // Published before the driver can hand them to a backward on another executor.
          copies.publish();
        }
        long held =
            paused.isPresent()
                ? KeptSegments.keep(
                    key,
                    new KeptSegments.Kept(paused.get(), trainer, store, copies),
                    setup.schedule().budget().bytes())
                : -1;
        if (held >= 0) {
          trainer = null;
          store = null;
          copies = null;
          return SegmentWork.Output.forward(
              k, m, paused.get().finalState(), scored, 0, 0, held, made);
        }
        if (paused.isPresent()) {
          // What this executor keeps for the run fills the budget: the backward recomputes.
          NetworkState end = paused.get().finalState();
          paused.get().close();
          return SegmentWork.Output.forward(k, m, end, scored, to - from, to - from, 0, null);
        }
        if (to == length) {
          // The last segment's backward runs its whole schedule: nothing to hand on now.
          return SegmentWork.Output.forward(k, m, null, scored, 0, 0, 0, null);
        }
        NetworkState end = trainer.advance(params, batch, boundary);
        return SegmentWork.Output.forward(k, m, end, scored, to - from, to - from, 0, null);
      }
      SegmentBoundary handed =
          boundary.withBackward(in.finalAdjoint(), in.gradientSoFar()).withStepLoss(in.stepLoss());
      SegmentResult r =
          in.copies() == null ? null : fromCopies(trainer, params, batch, handed, in.copies());
      if (r == null) {
        r = trainer.gradient(params, batch, handed);
      }
      return backwardOutput(in, r, store);
    } finally {
      try (BlobBundleWriter c = copies;
          BlobStore s = store) {
        if (trainer != null) {
          trainer.close();
        }
      }
    }
  }

  /**
   * The backward of a segment whose executor lost it, from the copies of its checkpoints its
   * forward left on the Hadoop URI; null, logged, when that fails, a copy unreadable or missing
   * (the task then runs the segment's schedule again from its initial state: the same bits).
   */
  private SegmentResult fromCopies(
      SequenceTrainer trainer,
      Parameters params,
      FrameSource batch,
      SegmentBoundary boundary,
      CopiedCheckpoints copies)
      throws IOException {
    try (BlobBundle read = CheckpointBundles.openForReading(setup.offChip(), copies.name())) {
      SegmentResult r = trainer.gradient(params, batch, boundary, read, copies);
      LOG.info(
          "segment at step {} of step {}: its backward read back {} checkpoints from {}",
          boundary.firstStep(),
          step,
          copies.steps().length,
          setup.offChip().location());
      return r;
    } catch (IOException e) {
      LOG.warn(
          "segment at step {} of step {}: copies of its checkpoints unreadable, running it again"
              + " from its initial state",
          boundary.firstStep(),
          step,
          e);
      return null;
    }
  }

  private static SegmentWork.Output backwardOutput(
      SegmentWork.Input in, SegmentResult r, BlobStore store) throws IOException {
    store.flush();
    RunMetrics m = r.metrics();
    LossResult loss = r.loss();
    return new SegmentWork.Output(
        in.segment(),
        in.microBatch(),
        null,
        r.initialAdjoint(),
        r.gradient(),
        loss == null ? 0 : loss.loss() * loss.scored(),
        loss == null ? 0 : loss.correct(),
        loss == null ? 0 : loss.scored(),
        r.stepLoss(),
        m.advancedSteps(),
        m.recomputedSteps(),
        m.blockedIoNanos(),
        m.peakBytes(),
        store.metrics().storageIo().bytesWritten(),
        PinnedPartitions.here(),
        null);
  }
}
