package dev.rewind.trainer.petra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.trainer.internal.runner.ExecutorSettings;
import dev.rewind.trainer.internal.runner.ScheduleRunner;
import dev.rewind.trainer.schedule.CostModel;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.RunMetrics;
import dev.rewind.trainer.schedule.Schedule;
import dev.rewind.trainer.schedule.ScheduleSpec;
import dev.rewind.trainer.schedule.TierCost;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * F and G's backward over time under every kind of checkpoint schedule, run by the same {@link
 * ScheduleRunner} as the LIF network's, gives the whole-tape gradients bit for bit: on a map, on a
 * block, with checkpoints on the heap and on local disk.
 */
class ScheduledBackwardTest {
  private static final int STEPS = 40;
  private static final int BATCH = 2;
  private static final int HIDDEN = 9;

  /** Every schedule kind; auto and two-level plan with {@link #cost}. */
  static final List<String> SPECS =
      List.of(
          "store-all",
          "periodic:k=7",
          "revolve:slots=3",
          "remote:k=5",
          "double:K=12,k=4",
          "two-level:slots=2",
          "auto");

  /** The schedules named with their parameters get no budget; auto gets 20 states' worth. */
  static MemoryBudget budget(String spec) {
    // store-all would need 41 states and 40 taped steps: auto must checkpoint within this
    return spec.equals("auto")
        ? new MemoryBudget(20 * 8L * BATCH * HIDDEN)
        : MemoryBudget.UNLIMITED;
  }

  static CostModel cost() {
    long state = 8L * BATCH * HIDDEN;
    return new CostModel(
        1e-6, 1.2e-6, 2e-6, state, state, new TierCost(1e-8, 1e-8), new TierCost(2e-5, 2e-5));
  }

  private record Result(SequenceTensor y, SequenceTensor dx, float[] grads) {}

  private static Result wholeTape(
      SpikingSequenceMap map, float[] p, SequenceTensor x, SequenceTensor dy) {
    SpikeTape tape = new SpikeTape(x.steps(), x.batch(), map.config().hidden());
    SequenceTensor y = map.forward(p, 0, x, tape);
    float[] g = new float[p.length];
    SequenceTensor dx = map.backward(p, 0, x, tape, dy, g, 0);
    return new Result(y, dx, g);
  }

  private static Result scheduled(
      SpikingSequenceMap map,
      float[] p,
      SequenceTensor x,
      SequenceTensor dy,
      Schedule schedule,
      ScheduleRunner runner,
      RunMetrics[] metrics)
      throws IOException {
    ScheduledRecord record = map.forward(p, 0, x, schedule, runner);
    float[] g = new float[p.length];
    SequenceTensor dx = map.backward(p, 0, x, record, dy, g, 0);
    metrics[0] = record.metrics();
    return new Result(record.output(), dx, g);
  }

  private static void assertSame(Result expected, Result actual, String what) {
    assertEquals(expected.y(), actual.y(), "y of " + what);
    assertArrayEquals(expected.grads(), actual.grads(), "parameter gradients of " + what);
    assertEquals(expected.dx(), actual.dx(), "dx of " + what);
  }

  private static float[] parameters(SpikingSequenceMap map, SplittableRandom r) {
    float[] p = new float[map.parameterCount()];
    map.initialise(p, 0, r, 3.0, 1.0);
    Tensors.excite(map.config(), p, 0, r);
    return p;
  }

  @Test
  void everyScheduleOnHeapAndDiskIsBitIdenticalToWholeTapes(@TempDir Path dir) throws IOException {
    SpikingSequenceMap map =
        new SpikingSequenceMap(SpikingSequenceMapTest.config(3, HIDDEN, 4, true));
    SplittableRandom r = new SplittableRandom(5);
    float[] p = parameters(map, r);
    SequenceTensor x = Tensors.random(STEPS, BATCH, 3, 2.0, r);
    SequenceTensor dy = Tensors.random(STEPS, BATCH, 4, 1.0, r);
    Result expected = wholeTape(map, p, x, dy);
    assertTrue(spikes(map, p, x) > 0, "the test input should make neurons spike");
    Path disk = dir.resolve("offchip");
    try (BlobStore heap = BlobStores.heap(1 << 24);
        BlobStore local = BlobStores.localDisk(disk)) {
      for (BlobStore store : List.of(heap, local)) {
        try (ScheduleRunner runner = new ScheduleRunner(store, ExecutorSettings.DEFAULT)) {
          for (String spec : SPECS) {
            Schedule schedule = ScheduleSpec.parse(spec).plan(STEPS, cost(), budget(spec));
            RunMetrics[] m = new RunMetrics[1];
            String what = schedule.description() + " on " + (store == heap ? "heap" : "disk");
            assertSame(expected, scheduled(map, p, x, dy, schedule, runner, m), what);
            if (spec.startsWith("remote") || spec.startsWith("double")) {
              assertTrue(m[0].slowSaves() > 0, what + " keeps checkpoints off-chip: " + m[0]);
            }
            if (!spec.equals("store-all")) {
              assertTrue(m[0].recomputedSteps() > 0, what + " recomputes: " + m[0]);
              assertTrue(m[0].peakTapeSteps() < STEPS, what + " tapes less: " + m[0]);
            }
          }
        }
        assertEquals(0, store.storedBytes(), "every checkpoint was freed");
      }
    }
    assertEquals(List.of(), Tensors.filesUnder(disk), "files left on disk");
  }

  /** Any length, period and slot count, recurrent or not: the same bits. */
  @Property(tries = 25)
  void periodicAndRevolveAreBitIdenticalForAnyLength(
      @ForAll @IntRange(min = 1, max = 50) int steps,
      @ForAll @IntRange(min = 1, max = 60) int period,
      @ForAll @IntRange(min = 1, max = 6) int slots,
      @ForAll boolean recurrent,
      @ForAll long seed)
      throws IOException {
    SpikingSequenceMap map =
        new SpikingSequenceMap(SpikingSequenceMapTest.config(3, HIDDEN, 4, recurrent));
    SplittableRandom r = new SplittableRandom(seed);
    float[] p = parameters(map, r);
    SequenceTensor x = Tensors.random(steps, BATCH, 3, 2.0, r);
    SequenceTensor dy = Tensors.random(steps, BATCH, 4, 1.0, r);
    Result expected = wholeTape(map, p, x, dy);
    try (BlobStore heap = BlobStores.heap(1 << 22);
        ScheduleRunner runner = new ScheduleRunner(heap, ExecutorSettings.DEFAULT)) {
      for (String spec :
          List.of("periodic:k=" + period, "revolve:slots=" + slots, "remote:k=" + period)) {
        Schedule schedule = ScheduleSpec.parse(spec).plan(steps, cost(), MemoryBudget.UNLIMITED);
        assertSame(
            expected,
            scheduled(map, p, x, dy, schedule, runner, new RunMetrics[1]),
            schedule.description() + " (seed " + seed + ")");
      }
    }
  }

  /** PETRA's block backward under a schedule: the rebuilt input, its gradient, the same bits. */
  @Test
  void blockBackwardUnderASchedule(@TempDir Path dir) throws IOException {
    ReversibleBlock block = new ReversibleBlock(SpikingSequenceMapTest.config(4, HIDDEN, 4, true));
    SplittableRandom r = new SplittableRandom(17);
    float[] p = new float[block.parameterCount()];
    block.initialise(p, 0, r, 3.0, 1.0);
    SequenceMapConfig c = SpikingSequenceMapTest.config(4, HIDDEN, 4, true);
    Tensors.excite(c, p, 0, r);
    Tensors.excite(c, p, block.parameterCount() / 2, r);
    Activation y = Tensors.randomPair(STEPS, BATCH, 4, 2.0, r);
    Activation dy = Tensors.randomPair(STEPS, BATCH, 4, 1.0, r);
    float[] gWhole = new float[p.length];
    ReversibleBlock.Reconstructed whole = block.backwardFromOutput(p, 0, y, dy, gWhole, 0);
    try (BlobStore local = BlobStores.localDisk(dir.resolve("offchip"))) {
      for (String spec : SPECS) {
        InStageSchedule settings =
            new InStageSchedule(
                ScheduleSpec.parse(spec), budget(spec), local, java.util.Optional.of(cost()));
        try (MapScheduler scheduler = new MapScheduler(settings)) {
          float[] g = new float[p.length];
          ReversibleBlock.Reconstructed r2 = block.backwardFromOutput(p, 0, y, dy, g, 0, scheduler);
          assertArrayEquals(gWhole, g, "parameter gradients under " + spec);
          assertEquals(whole.input().first(), r2.input().first(), "x1 under " + spec);
          assertEquals(whole.input().second(), r2.input().second(), "x2 under " + spec);
          assertEquals(whole.inputGradient().first(), r2.inputGradient().first(), spec);
          assertEquals(whole.inputGradient().second(), r2.inputGradient().second(), spec);
          if (!spec.equals("store-all")) {
            assertTrue(
                r2.memoryBytes() < whole.memoryBytes(),
                spec + " holds " + r2.memoryBytes() + " bytes vs " + whole.memoryBytes());
          }
        }
      }
    }
  }

  private static long spikes(SpikingSequenceMap map, float[] p, SequenceTensor x) {
    SpikeTape tape = new SpikeTape(x.steps(), x.batch(), map.config().hidden());
    map.forward(p, 0, x, tape);
    return tape.spikeCount();
  }
}
