package dev.rewind.trainer.internal.lif;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.checkpoint.Cases;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.internal.runner.ExecutorSettings;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.schedule.PeriodicSchedule;
import dev.rewind.trainer.schedule.RevolveSchedule;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Executors reuse the buffers of closed ones of the same shape without changing a bit. */
class IdleSystemsTest {

  @Test
  void aClosedExecutorsSystemGoesToTheNextOfItsShapeOnly() {
    Cases c = Cases.draw(5, 20, 20);
    LifSystem first = IdleSystems.take(c.config(), c.batch(), 0, 1);
    IdleSystems.give(c.config(), c.batch(), 0, 1, first);
    assertNotSame(first, IdleSystems.take(c.config(), c.batch() + 1, 0, 1), "another batch");
    assertNotSame(first, IdleSystems.take(c.config(), c.batch(), 7, 1), "another truncation");
    assertNotSame(first, IdleSystems.take(c.config(), c.batch(), 0, 2), "another thread count");
    LifSystem again = IdleSystems.take(c.config(), c.batch(), 0, 1);
    assertSame(first, again);
    assertNotSame(again, IdleSystems.take(c.config(), c.batch(), 0, 1), "one taker at a time");
  }

  @Test
  void onlyTheShapesUsedLastAreKept() {
    Cases c = Cases.draw(6, 20, 20);
    LifSystem oldest = IdleSystems.take(c.config(), 100, 0, 1);
    IdleSystems.give(c.config(), 100, 0, 1, oldest);
    for (int batch = 101; batch <= 108; batch++) {
      IdleSystems.give(c.config(), batch, 0, 1, IdleSystems.take(c.config(), batch, 0, 1));
    }
    assertNotSame(oldest, IdleSystems.take(c.config(), 100, 0, 1), "nine shapes since");
    LifSystem recent = IdleSystems.take(c.config(), 108, 0, 1);
    IdleSystems.give(c.config(), 108, 0, 1, recent);
    assertSame(recent, IdleSystems.take(c.config(), 108, 0, 1));
  }

  @Test
  void anExecutorOnAReusedSystemGivesTheBitsOfAFreshOne() throws IOException {
    long base = Long.getLong("rewind.seed", 20261203L);
    try (BlobStore heap = BlobStores.heap(64 << 20)) {
      for (int i = 0; i < 12; i++) {
        long seed = base + i;
        Cases c = Cases.draw(seed, 30, 120);
        SplittableRandom r = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        // The first executor of this shape runs one batch, then one that breaks mid-run: its
        // slow store fills up after two states.
        long stateBytes;
        try (CheckpointExecutor first =
            new CheckpointExecutor(c.config(), c.batch(), heap, ExecutorSettings.DEFAULT)) {
          first.run(c.parameters(), c.frames(), PeriodicSchedule.remote(c.steps(), 3));
          stateBytes = first.stateBytes();
        }
        try (BlobStore small = BlobStores.heap(2 * stateBytes);
            CheckpointExecutor breaking =
                new CheckpointExecutor(c.config(), c.batch(), small, ExecutorSettings.DEFAULT)) {
          assertThrows(
              IOException.class,
              () ->
                  breaking.run(c.parameters(), c.frames(), PeriodicSchedule.remote(c.steps(), 3)));
        }
        // The next one takes over its buffers and runs other frames under other parameters.
        FrameSource frames =
            Cases.frames(
                r, c.batch(), 30 + r.nextInt(91), c.config().inputSize(), c.config().classes());
        Parameters parameters =
            Parameters.initialise(c.config(), r.nextLong(), new InitScheme(3, 1.5, 1));
        BpttResult fresh = new StoreAllBptt(c.config(), c.batch()).run(parameters, frames);
        try (CheckpointExecutor next =
            new CheckpointExecutor(c.config(), c.batch(), heap, ExecutorSettings.DEFAULT)) {
          BpttResult reused =
              next.run(parameters, frames, new RevolveSchedule(frames.steps(), 2)).bptt();
          assertEquals(fresh.loss(), reused.loss(), "loss, case " + c);
          assertArrayEquals(fresh.gradient(), reused.gradient(), "gradient, case " + c);
        }
      }
      assertEquals(0, heap.storedBytes(), "every checkpoint was freed");
    }
  }
}
