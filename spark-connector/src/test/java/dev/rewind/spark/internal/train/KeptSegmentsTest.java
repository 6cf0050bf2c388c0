package dev.rewind.spark.internal.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.trainer.checkpoint.PausedSegment;
import dev.rewind.trainer.checkpoint.SegmentBoundary;
import dev.rewind.trainer.checkpoint.SequenceTrainer;
import dev.rewind.trainer.data.DenseFrames;
import dev.rewind.trainer.data.FrameWindow;
import dev.rewind.trainer.model.Parameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor's registry of paused segments: a backward takes what its forward kept, keeping the
 * next step closes what the run kept for earlier ones, a forward run again replaces its own, and
 * releasing a run closes the rest. Closing deletes the checkpoint files.
 */
class KeptSegmentsTest {
  @TempDir Path dir;

  @Test
  void keptSegmentsAreTakenReplacedEvictedAndReleasedWithTheirFiles() throws IOException {
    GradientFixture fixture = new GradientFixture(1, 40, 8);
    KeptSegments.Key a = new KeptSegments.Key("run-a", 7, 0, 0);
    KeptSegments.Key b = new KeptSegments.Key("run-a", 7, 0, 1);
    KeptSegments.Key other = new KeptSegments.Key("run-b", 3, 0, 0);
    long one = KeptSegments.keep(a, paused(fixture, "a"), Long.MAX_VALUE);
    assertEquals(
        2 * one, KeptSegments.keep(b, paused(fixture, "b"), Long.MAX_VALUE), "planned bytes held");
    KeptSegments.keep(other, paused(fixture, "other"), Long.MAX_VALUE);
    assertTrue(files("a") > 0 && files("b") > 0, "paused segments keep remote checkpoints");

    KeptSegments.Kept taken = KeptSegments.take(a);
    assertNotNull(taken);
    assertNull(KeptSegments.take(a), "taken once");
    taken.close();
    assertEquals(0, files("a"));

    KeptSegments.keep(b, paused(fixture, "b2"), Long.MAX_VALUE);
    assertEquals(0, files("b"), "a forward run again replaces what it kept");
    KeptSegments.Kept over = paused(fixture, "over");
    assertEquals(
        -1,
        KeptSegments.keep(new KeptSegments.Key("run-a", 7, 1, 0), over, 2 * one - 1),
        "beyond the budget with what the run keeps here: not kept");
    assertNull(KeptSegments.take(new KeptSegments.Key("run-a", 7, 1, 0)));
    over.close();
    assertEquals(0, files("over"));
    KeptSegments.keep(
        new KeptSegments.Key("run-a", 8, 1, 0), paused(fixture, "next"), Long.MAX_VALUE);
    assertEquals(0, files("b2"), "the next step evicts the earlier step's");
    assertTrue(files("other") > 0, "another run's are left alone");

    assertEquals(1, KeptSegments.release("run-a"));
    assertEquals(0, files("next"));
    assertEquals(1, KeptSegments.release("run-b"));
    assertEquals(0, files("other"));
    assertEquals(0, KeptSegments.release("run-a"));
  }

  /** The first 20 of 40 steps paused under remote checkpoints in a store of its own. */
  private KeptSegments.Kept paused(GradientFixture fixture, String name) throws IOException {
    BlobStore store = BlobStores.localDisk(dir.resolve(name));
    SequenceTrainer trainer =
        SequenceGradients.trainer(
            fixture.config,
            TaskSchedule.of("remote:k=4", "256m"),
            store,
            "disk",
            dir.resolve("calibration"),
            0,
            1,
            1);
    DenseFrames frames =
        new DenseFrames(
            fixture.task.frames(0),
            1,
            fixture.task.steps,
            fixture.task.channels,
            new int[] {fixture.task.label(0)});
    PausedSegment segment =
        trainer
            .pause(
                Parameters.wrap(fixture.config, fixture.parameters.clone()),
                new FrameWindow(frames, 0, 20),
                SegmentBoundary.whole(40),
                1)
            .orElseThrow();
    store.flush();
    return new KeptSegments.Kept(segment, trainer, store, null);
  }

  private long files(String name) throws IOException {
    Path d = dir.resolve(name);
    if (!Files.exists(d)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(d)) {
      return s.filter(Files::isRegularFile).count();
    }
  }
}
