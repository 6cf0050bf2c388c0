package dev.rewind.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.storage.tier.BlobBundle;
import dev.rewind.storage.tier.BlobBundleWriter;
import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.LossResult;
import dev.rewind.trainer.bptt.NetworkState;
import dev.rewind.trainer.bptt.StateAdjoint;
import dev.rewind.trainer.bptt.StepLoss;
import dev.rewind.trainer.bptt.StepLossSums;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.data.FrameWindow;
import dev.rewind.trainer.internal.runner.CheckpointReadException;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.ScheduleSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A segment paused with copies of its slow-tier checkpoints, then lost (closed unfinished, as a
 * killed executor loses it), finishes its backward in another trainer from the copies alone with
 * the bits of store-all over the whole sequence, and runs fewer forward steps than running its
 * schedule again from its initial state.
 */
class ResumedSegmentTest {
  @TempDir Path dir;

  @Test
  void aLostSegmentFinishesFromTheCopiesOfItsCheckpointsWithTheStoreAllBits() throws IOException {
    long base = Long.getLong("rewind.seed", 20261208L);
    String[] schedules = {"remote:k=5", "double:K=12,k=4", "store-all"};
    try (BlobStore slow = BlobStores.localDisk(dir.resolve("slow"));
        BlobStore otherSlow = BlobStores.localDisk(dir.resolve("other-slow"))) {
      for (int i = 0; i < 6; i++) {
        long seed = base + i;
        Cases c =
            switch (i) {
              case 0, 1 -> Cases.draw(seed, 60, 200);
              case 2 -> Cases.draw(seed, 60, 200).withLastSteps();
              case 3 -> Cases.draw(seed, 60, 200, true).withStepLabels();
              case 4 -> Cases.draw(seed, 60, 200, true).withStepTargets();
              default -> Cases.draw(seed, 60, 200, true).withTrainableTimeConstants();
            };
        BpttResult expected =
            new StoreAllBptt(c.config(), c.batch()).run(c.parameters(), c.frames());
        SplittableRandom r = new SplittableRandom(seed * 17);
        for (String schedule : schedules) {
          TrainerSettings settings =
              TrainerSettings.of(ScheduleSpec.parse(schedule), MemoryBudget.UNLIMITED, "disk");
          try (SequenceTrainer first =
                  new SequenceTrainer(c.config(), c.batch(), slow, settings, Cases.cost());
              SequenceTrainer second =
                  new SequenceTrainer(c.config(), c.batch(), otherSlow, settings, Cases.cost())) {
            int segments = 1 + i % 3;
            int[] bounds = SegmentChainTest.cuts(r, c.steps(), segments);
            String what = "case " + c + ", " + schedule + ", bounds " + Arrays.toString(bounds);
            long[] advanced = new long[2];
            BpttResult got = lostChain(first, second, c, bounds, dir, seed, advanced);
            assertEquals(expected.loss(), got.loss(), what);
            assertArrayEquals(expected.gradient(), got.gradient(), what);
            if (!schedule.equals("store-all")) {
              assertTrue(
                  advanced[0] < advanced[1],
                  what
                      + ": from the copies "
                      + advanced[0]
                      + " forward steps, from the initial states "
                      + advanced[1]);
            }
          }
        }
      }
      assertEquals(0, slow.storedBytes(), "the lost segments' own checkpoints were freed");
      assertEquals(0, otherSlow.storedBytes(), "the resumed pieces freed theirs");
    }
    try (var left = Files.list(dir.resolve("copies"))) {
      assertEquals(0, left.count(), "closing each bundle deleted it");
    }
  }

  /**
   * Every segment paused in {@code first} with copies in a bundle under {@code dir}, then closed
   * unfinished; the backward runs in {@code second} from the bundles. {@code advanced} gets the
   * forward steps of the resumed backward and of running each segment's schedule again from its
   * initial state.
   */
  private static BpttResult lostChain(
      SequenceTrainer first,
      SequenceTrainer second,
      Cases c,
      int[] bounds,
      Path dir,
      long seed,
      long[] advanced)
      throws IOException {
    int segments = bounds.length - 1;
    NetworkState[] initial = new NetworkState[segments];
    CopiedCheckpoints[] copied = new CopiedCheckpoints[segments];
    BlobBundleWriter[] bundles = new BlobBundleWriter[segments];
    try {
      for (int k = 0; k < segments; k++) {
        FrameWindow w = SegmentChainTest.window(c.frames(), bounds, k);
        CopiedCheckpoints.Name name = new CopiedCheckpoints.Name("lost-" + seed, 3, k);
        bundles[k] = BlobBundleWriter.create(bundle(dir, seed, k), new Configuration());
        try (PausedSegment paused =
            first
                .pause(
                    c.parameters(),
                    w,
                    new SegmentBoundary(bounds[k], c.steps(), initial[k], null, null),
                    1,
                    bundles[k],
                    name)
                .orElseThrow()) {
          bundles[k].publish();
          copied[k] = paused.copies();
          assertEquals(name, copied[k].name());
          if (k < segments - 1) {
            initial[k + 1] = paused.finalState();
          }
        }
      }
      StateAdjoint adjoint = null;
      float[] gradient = null;
      LossResult loss = null;
      boolean perStep = c.config().loss().perStep();
      StepLossSums sums =
          perStep ? StepLossSums.start(new StepLoss(c.config()).count(c.frames())) : null;
      for (int k = segments - 1; k >= 0; k--) {
        FrameWindow w = SegmentChainTest.window(c.frames(), bounds, k);
        SegmentBoundary boundary =
            new SegmentBoundary(
                bounds[k], c.steps(), initial[k], adjoint, gradient, segments == 1 ? null : sums);
        SegmentResult again = second.gradient(c.parameters(), w, boundary);
        SegmentResult r;
        try (BlobBundle read = BlobBundle.open(bundle(dir, seed, k), new Configuration())) {
          r = second.gradient(c.parameters(), w, boundary, read, copied[k]);
        }
        assertArrayEquals(again.gradient(), r.gradient(), "segment " + k + " from its copies");
        advanced[0] += r.metrics().advancedSteps();
        advanced[1] += again.metrics().advancedSteps();
        loss = perStep || k == segments - 1 ? r.loss() : loss;
        sums = r.stepLoss();
        adjoint = r.initialAdjoint();
        gradient = r.gradient();
      }
      return new BpttResult(loss, gradient);
    } finally {
      for (BlobBundleWriter b : bundles) {
        if (b != null) {
          b.close();
        }
      }
    }
  }

  private static URI bundle(Path dir, long seed, int k) {
    return dir.resolve("copies").resolve("s" + seed + "-k" + k + ".bundle").toUri();
  }

  @Test
  void aMissingCopyFailsNamingItsKey() throws IOException {
    Cases c = Cases.draw(20261208L, 80, 80);
    TrainerSettings settings =
        TrainerSettings.of(ScheduleSpec.parse("remote:k=10"), MemoryBudget.UNLIMITED, "disk");
    URI file = dir.resolve("copies.bundle").toUri();
    try (BlobStore slow = BlobStores.localDisk(dir.resolve("slow"));
        BlobBundleWriter written = BlobBundleWriter.create(file, new Configuration());
        SequenceTrainer trainer =
            new SequenceTrainer(c.config(), c.batch(), slow, settings, Cases.cost())) {
      SegmentBoundary whole = SegmentBoundary.whole(c.steps());
      CopiedCheckpoints copied;
      CopiedCheckpoints.Name name = new CopiedCheckpoints.Name("gone", 0, 0);
      try (PausedSegment paused =
          trainer.pause(c.parameters(), c.frames(), whole, 1, written, name).orElseThrow()) {
        written.publish();
        copied = paused.copies();
      }
      assertTrue(copied.steps().length > 2, "remote:k=10 saves states off-chip");
      // A bundle whose name differs from the one the copies were made under holds none of them.
      CopiedCheckpoints elsewhere =
          new CopiedCheckpoints(new CopiedCheckpoints.Name("other", 0, 0), copied.steps());
      try (BlobBundle read = BlobBundle.open(file, new Configuration())) {
        CheckpointReadException e =
            assertThrows(
                CheckpointReadException.class,
                () -> trainer.gradient(c.parameters(), c.frames(), whole, read, elsewhere));
        long last = copied.steps()[copied.steps().length - 1];
        assertTrue(e.getMessage().contains(elsewhere.keys(last)[0].relativePath()), e.getMessage());
      }
    }
  }
}
