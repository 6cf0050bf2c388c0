package dev.rewind.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.LossResult;
import dev.rewind.trainer.bptt.NetworkState;
import dev.rewind.trainer.bptt.StateAdjoint;
import dev.rewind.trainer.bptt.StepLoss;
import dev.rewind.trainer.bptt.StepLossSums;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.data.FrameWindow;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.ScheduleSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sequence cut into S time segments, run as segment-parallel BPTT runs them (a forward wave of
 * untaped advances, then a backward wave from the last segment to the first, each handed the state
 * before it, the adjoint after it and the gradient so far), gives the loss and gradient of
 * store-all BPTT over the whole sequence bit for bit, under every schedule inside the segments.
 */
class SegmentChainTest {
  @TempDir Path dir;

  /** Loss of the last segment and gradient of the first, for segments cut at {@code bounds}. */
  static BpttResult chain(
      SequenceTrainer trainer, Parameters parameters, FrameSource frames, int[] bounds)
      throws IOException {
    int segments = bounds.length - 1;
    NetworkState[] initial = new NetworkState[segments];
    for (int k = 1; k < segments; k++) {
      initial[k] =
          trainer.advance(
              parameters,
              window(frames, bounds, k - 1),
              new SegmentBoundary(bounds[k - 1], frames.steps(), initial[k - 1], null, null));
      assertEquals(bounds[k], initial[k].step());
    }
    StateAdjoint adjoint = null;
    float[] gradient = null;
    LossResult loss = null;
    boolean perStep = parameters.config().loss().perStep();
    // Under a per-step head every segment sums its steps' loss, handed on to the one before.
    StepLossSums sums =
        perStep ? StepLossSums.start(new StepLoss(parameters.config()).count(frames)) : null;
    for (int k = segments - 1; k >= 0; k--) {
      SegmentBoundary boundary =
          new SegmentBoundary(bounds[k], frames.steps(), initial[k], adjoint, gradient, sums);
      SegmentResult r = trainer.gradient(parameters, window(frames, bounds, k), boundary);
      assertEquals(
          perStep || k == segments - 1,
          r.loss() != null,
          "only the last segment has a loss, but every one under per-step");
      loss = perStep || k == segments - 1 ? r.loss() : loss;
      sums = r.stepLoss();
      adjoint = r.initialAdjoint();
      assertEquals(bounds[k], adjoint.step());
      gradient = r.gradient();
    }
    return new BpttResult(loss, gradient);
  }

  static FrameWindow window(FrameSource frames, int[] bounds, int k) {
    return new FrameWindow(frames, bounds[k], bounds[k + 1] - bounds[k]);
  }

  /** S - 1 distinct cuts drawn in (0, T), as segment bounds 0 < ... < T. */
  static int[] cuts(SplittableRandom r, int steps, int segments) {
    int[] bounds = new int[segments + 1];
    bounds[segments] = steps;
    java.util.TreeSet<Integer> inner = new java.util.TreeSet<>();
    while (inner.size() < segments - 1) {
      inner.add(1 + r.nextInt(steps - 1));
    }
    int i = 1;
    for (int cut : inner) {
      bounds[i++] = cut;
    }
    return bounds;
  }

  @Test
  void chainedSegmentsGiveTheWholeSequencesGradientBitForBitUnderEverySchedule()
      throws IOException {
    long base = Long.getLong("rewind.seed", 20261203L);
    String[] schedules = {"store-all", "periodic:k=7", "remote:k=5", "double:K=12,k=4", "auto"};
    try (BlobStore disk = BlobStores.localDisk(dir.resolve("slow"))) {
      for (int i = 0; i < 13; i++) {
        long seed = base + i;
        // Two take the last:K head, whose window starts in any segment, two the per-step head, one
        // regression, two trainable time constants.
        Cases c =
            i < 6
                ? Cases.draw(seed, 40, 240)
                : i < 8
                    ? Cases.draw(seed, 40, 240).withLastSteps()
                    : i < 10
                        ? Cases.draw(seed, 40, 240, i == 9).withStepLabels()
                        : i < 11
                            ? Cases.draw(seed, 40, 240, true).withStepTargets()
                            : Cases.draw(seed, 40, 240, true).withTrainableTimeConstants();
        SplittableRandom r = new SplittableRandom(seed * 31);
        BpttResult expected =
            new StoreAllBptt(c.config(), c.batch()).run(c.parameters(), c.frames());
        for (String schedule : schedules) {
          MemoryBudget budget =
              schedule.equals("auto") ? new MemoryBudget(64 * 1024) : MemoryBudget.UNLIMITED;
          try (SequenceTrainer trainer =
              new SequenceTrainer(
                  c.config(),
                  c.batch(),
                  disk,
                  TrainerSettings.of(ScheduleSpec.parse(schedule), budget, "disk")
                      .withInputChunkSteps(i % 2 == 0 ? 0 : 16),
                  Cases.cost())) {
            for (int segments = 1; segments <= 4; segments++) {
              int[] bounds = cuts(r, c.steps(), segments);
              String what = "case " + c + ", " + schedule + ", bounds " + Arrays.toString(bounds);
              BpttResult got = chain(trainer, c.parameters(), c.frames(), bounds);
              assertEquals(expected.loss(), got.loss(), what);
              assertArrayEquals(expected.gradient(), got.gradient(), what);
            }
          }
        }
        System.out.println("case " + c + ": S = 1..4 under " + schedules.length + " schedules");
      }
      assertEquals(0, disk.storedBytes(), "every checkpoint was freed");
    }
  }

  /**
   * As {@link #chain}, but every segment but the last is paused after its forward (one trainer
   * each, since a trainer holds one paused segment), its backward finished later from what it kept.
   * Returns the loss and gradient, and in {@code pausedCount[0]} how many were paused.
   */
  static BpttResult pausedChain(
      SequenceTrainer[] trainers,
      Parameters parameters,
      FrameSource frames,
      int[] bounds,
      int sharing,
      int[] pausedCount)
      throws IOException {
    int segments = bounds.length - 1;
    NetworkState[] initial = new NetworkState[segments];
    PausedSegment[] paused = new PausedSegment[segments];
    for (int k = 0; k < segments; k++) {
      FrameWindow w = window(frames, bounds, k);
      paused[k] =
          trainers[k]
              .pause(
                  parameters,
                  w,
                  new SegmentBoundary(bounds[k], frames.steps(), initial[k], null, null),
                  sharing)
              .orElse(null);
      pausedCount[0] += paused[k] != null ? 1 : 0;
      if (k == segments - 1) {
        break;
      }
      initial[k + 1] =
          paused[k] != null
              ? paused[k].finalState()
              : trainers[k].advance(
                  parameters,
                  w,
                  new SegmentBoundary(bounds[k], frames.steps(), initial[k], null, null));
      assertEquals(bounds[k + 1], initial[k + 1].step());
    }
    StateAdjoint adjoint = null;
    float[] gradient = null;
    LossResult loss = null;
    boolean perStep = parameters.config().loss().perStep();
    StepLossSums sums =
        perStep ? StepLossSums.start(new StepLoss(parameters.config()).count(frames)) : null;
    for (int k = segments - 1; k >= 0; k--) {
      SegmentResult r =
          paused[k] != null
              ? paused[k].finish(adjoint, gradient, segments == 1 ? null : sums)
              : trainers[k].gradient(
                  parameters,
                  window(frames, bounds, k),
                  new SegmentBoundary(
                      bounds[k], frames.steps(), initial[k], adjoint, gradient, sums));
      loss = perStep || k == segments - 1 ? r.loss() : loss;
      sums = r.stepLoss();
      adjoint = r.initialAdjoint();
      gradient = r.gradient();
    }
    return new BpttResult(loss, gradient);
  }

  @Test
  void segmentsPausedAfterTheirForwardGiveTheWholeSequencesGradientBitForBit() throws IOException {
    long base = Long.getLong("rewind.seed", 20261204L);
    String[] schedules = {"store-all", "remote:k=5", "double:K=12,k=4", "auto"};
    try (BlobStore disk = BlobStores.localDisk(dir.resolve("slow"))) {
      for (int i = 0; i < 7; i++) {
        long seed = base + i;
        // One takes the last:K head, one the per-step head, one regression.
        Cases c =
            i < 4
                ? Cases.draw(seed, 40, 240)
                : i == 4
                    ? Cases.draw(seed, 40, 240).withLastSteps()
                    : i == 5
                        ? Cases.draw(seed, 40, 240).withStepLabels()
                        : Cases.draw(seed, 40, 240, true).withStepTargets();
        SplittableRandom r = new SplittableRandom(seed * 17);
        BpttResult expected =
            new StoreAllBptt(c.config(), c.batch()).run(c.parameters(), c.frames());
        for (String schedule : schedules) {
          MemoryBudget budget =
              schedule.equals("auto") ? new MemoryBudget(96 * 1024) : MemoryBudget.UNLIMITED;
          SequenceTrainer[] trainers = new SequenceTrainer[4];
          try {
            for (int k = 0; k < trainers.length; k++) {
              trainers[k] =
                  new SequenceTrainer(
                      c.config(),
                      c.batch(),
                      disk,
                      TrainerSettings.of(ScheduleSpec.parse(schedule), budget, "disk"),
                      Cases.cost());
            }
            for (int segments = 1; segments <= 4; segments++) {
              int[] bounds = cuts(r, c.steps(), segments);
              int sharing = 1 + r.nextInt(3);
              int[] paused = new int[1];
              String what =
                  "case "
                      + c
                      + ", "
                      + schedule
                      + ", sharing "
                      + sharing
                      + ", bounds "
                      + Arrays.toString(bounds);
              BpttResult got =
                  pausedChain(trainers, c.parameters(), c.frames(), bounds, sharing, paused);
              assertEquals(expected.loss(), got.loss(), what);
              assertArrayEquals(expected.gradient(), got.gradient(), what);
              if (budget.equals(MemoryBudget.UNLIMITED)) {
                assertEquals(segments, paused[0], what + ": an unlimited budget pauses all");
              }
            }
          } finally {
            for (SequenceTrainer t : trainers) {
              if (t != null) {
                t.close();
              }
            }
          }
        }
      }
      assertEquals(0, disk.storedBytes(), "every checkpoint was freed");
    }
  }

  @Test
  void aPausedSegmentClosedUnfinishedDeletesItsCheckpointsAndBlocksNothingAfter()
      throws IOException {
    Cases c = Cases.draw(11L, 60, 60);
    try (BlobStore disk = BlobStores.localDisk(dir.resolve("paused"));
        SequenceTrainer trainer =
            new SequenceTrainer(
                c.config(),
                c.batch(),
                disk,
                TrainerSettings.of(
                    ScheduleSpec.parse("remote:k=5"), MemoryBudget.UNLIMITED, "disk"),
                Cases.cost())) {
      FrameWindow head = new FrameWindow(c.frames(), 0, 40);
      PausedSegment paused =
          trainer.pause(c.parameters(), head, SegmentBoundary.whole(60), 2).orElseThrow();
      disk.flush();
      assertTrue(disk.storedBytes() > 0, "the paused segment keeps its remote checkpoints");
      IllegalStateException busy =
          assertThrows(
              IllegalStateException.class,
              () -> trainer.advance(c.parameters(), head, SegmentBoundary.whole(60)));
      assertTrue(busy.getMessage().contains("paused segment"), busy.getMessage());
      paused.close();
      disk.flush();
      assertEquals(0, disk.storedBytes(), "closing it deleted them");
      IllegalStateException again =
          assertThrows(IllegalStateException.class, () -> paused.finish(null, null));
      assertTrue(again.getMessage().contains("finished or closed already"), again.getMessage());
      assertEquals(40, trainer.advance(c.parameters(), head, SegmentBoundary.whole(60)).step());
      float[] soFar = new float[c.parameters().data().length];
      IllegalArgumentException early =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  trainer.pause(
                      c.parameters(), head, new SegmentBoundary(0, 60, null, null, soFar), 1));
      assertTrue(early.getMessage().contains("come when its backward runs"), early.getMessage());
    }
  }

  @Test
  void aBoundaryThatDoesNotFitItsSegmentIsRefusedByName() throws IOException {
    Cases c = Cases.draw(7L, 30, 30);
    try (BlobStore heap = BlobStores.heap(1 << 20);
        SequenceTrainer trainer = storeAllOnHeap(c, heap)) {
      NetworkState at10 =
          trainer.advance(
              c.parameters(), new FrameWindow(c.frames(), 0, 10), SegmentBoundary.whole(30));
      FrameWindow middle = new FrameWindow(c.frames(), 10, 10);
      IllegalArgumentException noAdjoint =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  trainer.gradient(
                      c.parameters(), middle, new SegmentBoundary(10, 30, at10, null, null)));
      assertTrue(
          noAdjoint.getMessage().contains("segment [10, 20) of 30 steps"), noAdjoint.getMessage());
      IllegalArgumentException wrongStep =
          assertThrows(
              IllegalArgumentException.class, () -> new SegmentBoundary(12, 30, at10, null, null));
      assertTrue(wrongStep.getMessage().contains("initial state at step 12, got step 10"));
      IllegalArgumentException tooLong =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  trainer.gradient(
                      c.parameters(),
                      new FrameWindow(c.frames(), 10, 20),
                      new SegmentBoundary(25, 30, stateAt(trainer, c, 25), null, null)));
      assertTrue(
          tooLong.getMessage().contains("expected 1 to 5 steps, got 20"), tooLong.getMessage());
    }
  }

  @Test
  void aPerStepSegmentWithoutTheLossSoFarIsRefusedByNameRunOrPaused() throws IOException {
    Cases c = Cases.draw(7L, 30, 30).withStepLabels();
    try (BlobStore heap = BlobStores.heap(1 << 20);
        SequenceTrainer trainer = storeAllOnHeap(c, heap)) {
      NetworkState at10 =
          trainer.advance(
              c.parameters(), new FrameWindow(c.frames(), 0, 10), SegmentBoundary.whole(30));
      FrameWindow tail = new FrameWindow(c.frames(), 10, 20);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  trainer.gradient(
                      c.parameters(), tail, new SegmentBoundary(10, 30, at10, null, null)));
      assertTrue(
          e.getMessage().contains("needs the whole batch's scored targets and the loss so far"),
          e.getMessage());
      PausedSegment paused =
          trainer
              .pause(c.parameters(), tail, new SegmentBoundary(10, 30, at10, null, null), 1)
              .orElseThrow();
      IllegalArgumentException late =
          assertThrows(IllegalArgumentException.class, () -> paused.finish(null, null, null));
      assertTrue(
          late.getMessage().contains("needs the whole batch's scored targets and the loss so far"),
          late.getMessage());
      // Still paused after the refusal: closing frees it, and the trainer runs on.
      paused.close();
      assertEquals(
          30,
          trainer
              .advance(c.parameters(), tail, new SegmentBoundary(10, 30, at10, null, null))
              .step());
    }
  }

  private static SequenceTrainer storeAllOnHeap(Cases c, BlobStore heap) {
    return new SequenceTrainer(
        c.config(),
        c.batch(),
        heap,
        TrainerSettings.of(ScheduleSpec.parse("store-all"), MemoryBudget.UNLIMITED, "heap"),
        Cases.cost());
  }

  private static NetworkState stateAt(SequenceTrainer trainer, Cases c, int step) {
    return trainer.advance(
        c.parameters(), new FrameWindow(c.frames(), 0, step), SegmentBoundary.whole(c.steps()));
  }
}
