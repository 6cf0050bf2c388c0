package dev.rewind.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.internal.lif.CheckpointExecutor;
import dev.rewind.trainer.internal.runner.ExecutorSettings;
import dev.rewind.trainer.schedule.Action;
import dev.rewind.trainer.schedule.CostModel;
import dev.rewind.trainer.schedule.Footprint;
import dev.rewind.trainer.schedule.Placement;
import dev.rewind.trainer.schedule.Schedule;
import dev.rewind.trainer.schedule.StoreAllSchedule;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Action streams that break the rules stop the run with a message naming the action. */
class InvalidPlanTest {

  private record Listed(long steps, List<Action> list) implements Schedule {
    @Override
    public Iterator<Action> actions() {
      return list.iterator();
    }

    @Override
    public Footprint footprint() {
      return new Footprint(2, steps);
    }

    @Override
    public double predictedSeconds(CostModel cost) {
      return 0;
    }

    @Override
    public String description() {
      return "listed";
    }
  }

  @Test
  void brokenPlansAreRejectedAndTheExecutorStaysUsable() throws IOException {
    Cases c = Cases.draw(Long.getLong("rewind.seed", 31L), 40, 40);
    int t = c.steps();
    List<List<Action>> broken =
        List.of(
            // loads a state never saved
            List.of(
                new Action.Advance(0, t, false),
                new Action.EndForward(),
                new Action.Load(0, Placement.SLOW)),
            // reverses steps that are not on the tape
            List.of(
                new Action.Advance(0, t, false), new Action.EndForward(), new Action.Reverse(0, t)),
            // never reverses
            List.of(new Action.Advance(0, t, true), new Action.EndForward()),
            // advances from a state that is not current
            List.of(new Action.Save(0, Placement.MEMORY), new Action.Advance(1, t, true)));
    try (BlobStore heap = BlobStores.heap(1 << 20);
        CheckpointExecutor executor =
            new CheckpointExecutor(c.config(), c.batch(), heap, ExecutorSettings.DEFAULT)) {
      for (List<Action> plan : broken) {
        IllegalStateException e =
            assertThrows(
                IllegalStateException.class,
                () -> executor.run(c.parameters(), c.frames(), new Listed(t, plan)));
        System.out.println(e.getMessage());
        assertTrue(e.getMessage().startsWith("schedule action"), e.getMessage());
      }
      assertArrayEquals(
          new StoreAllBptt(c.config(), c.batch()).run(c.parameters(), c.frames()).gradient(),
          executor.run(c.parameters(), c.frames(), new StoreAllSchedule(t)).gradient());
    }
  }
}
