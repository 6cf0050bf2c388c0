package dev.rewind.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.internal.lif.CheckpointExecutor;
import dev.rewind.trainer.internal.runner.ExecutorSettings;
import dev.rewind.trainer.schedule.DoubleCheckpointSchedule;
import dev.rewind.trainer.schedule.PeriodicSchedule;
import dev.rewind.trainer.schedule.RevolveSchedule;
import dev.rewind.trainer.schedule.RunMetrics;
import dev.rewind.trainer.schedule.Schedule;
import dev.rewind.trainer.schedule.ScheduleSimulator;
import dev.rewind.trainer.schedule.SimulationReport;
import dev.rewind.trainer.schedule.StoreAllSchedule;
import dev.rewind.trainer.schedule.TwoLevelSchedule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every schedule, run by the executor on random real networks with its slow tier on local disk,
 * gives loss, logits and gradient bit-identical to store-all BPTT, and the executor's counts match
 * the simulator's for the same plan.
 */
class ScheduleEquivalenceTest {
  @TempDir Path dir;

  /** Every planner with parameters drawn for T. */
  static List<Schedule> schedules(SplittableRandom r, int steps) {
    long k = 1 + r.nextInt(Math.max(1, steps / 3));
    long coarse = 2 + r.nextInt(Math.max(1, steps / 2));
    long fine = 1 + r.nextInt((int) coarse);
    List<Schedule> all = new ArrayList<>();
    all.add(new StoreAllSchedule(steps));
    all.add(PeriodicSchedule.periodic(steps, k));
    all.add(PeriodicSchedule.remote(steps, k));
    all.add(new RevolveSchedule(steps, 1 + r.nextInt(8)));
    all.add(new DoubleCheckpointSchedule(steps, coarse, fine));
    all.add(TwoLevelSchedule.optimal(steps, r.nextInt(6), 1 + r.nextInt(40), Cases.cost()));
    return all;
  }

  @Test
  void everyScheduleIsBitIdenticalToStoreAllWithSlowTierOnLocalDisk() throws IOException {
    long base = Long.getLong("rewind.seed", 20261123L);
    try (BlobStore disk = BlobStores.localDisk(dir.resolve("slow"))) {
      for (int i = 0; i < 8; i++) {
        long seed = base + i;
        Cases c = Cases.draw(seed, 200, i < 2 ? 2000 : 600);
        System.out.println("case " + c);
        check(c, disk, new SplittableRandom(seed ^ 0x5DEECE66DL));
      }
      assertEquals(0, disk.storedBytes(), "every checkpoint was freed");
    }
  }

  /** Models with ALIF layers (MODEL_SPEC v2): their adaptation is part of every checkpoint. */
  @Test
  void everyScheduleIsBitIdenticalToStoreAllWithAdaptiveLayersOnHeapAndLocalDisk()
      throws IOException {
    List<Cases> cases =
        checkOnHeapAndDisk(
            "slow-alif",
            Long.getLong("rewind.seed", 20261205L),
            (i, seed) -> Cases.draw(seed, 200, 600, true));
    long adaptive =
        cases.stream()
            .filter(c -> c.config().layers().stream().anyMatch(l -> l.adaptive()))
            .count();
    assertTrue(adaptive >= 4, adaptive + " of 6 cases have an ALIF layer");
  }

  /**
   * The {@code last:K} loss head (MODEL_SPEC v2) on LIF and ALIF models: only the window's steps
   * add to the checkpointed readout sum and take the loss seed, wherever a schedule cuts.
   */
  @Test
  void everyScheduleIsBitIdenticalToStoreAllWithTheLastStepsHeadOnHeapAndLocalDisk()
      throws IOException {
    checkOnHeapAndDisk(
        "slow-last",
        Long.getLong("rewind.seed", 20261206L),
        (i, seed) -> Cases.draw(seed, 200, 600, i % 2 == 1).withLastSteps());
  }

  /**
   * The per-step loss head (MODEL_SPEC v2): each step's seed comes from its taped readout, and the
   * loss is summed as the backward passes, once per step whatever a schedule recomputes.
   */
  @Test
  void everyScheduleIsBitIdenticalToStoreAllWithThePerStepHeadOnHeapAndLocalDisk()
      throws IOException {
    checkOnHeapAndDisk(
        "slow-per-step",
        Long.getLong("rewind.seed", 20261207L),
        (i, seed) -> Cases.draw(seed, 200, 600, i % 2 == 1).withStepLabels());
  }

  /**
   * The regression head (MODEL_SPEC v2): as the per-step head, with a squared error on each
   * targeted component and nothing where a step's targets are all missing.
   */
  @Test
  void everyScheduleIsBitIdenticalToStoreAllWithTheRegressionHeadOnHeapAndLocalDisk()
      throws IOException {
    checkOnHeapAndDisk(
        "slow-regression",
        Long.getLong("rewind.seed", 20261208L),
        (i, seed) -> Cases.draw(seed, 200, 600, i % 2 == 1).withStepTargets());
  }

  /**
   * Trainable time constants (MODEL_SPEC v2): per-neuron leaks, their taped terms and the gradients
   * of q, p and qo, under the mean and the per-step heads.
   */
  @Test
  void everyScheduleIsBitIdenticalToStoreAllWithTrainableTimeConstantsOnHeapAndLocalDisk()
      throws IOException {
    checkOnHeapAndDisk(
        "slow-trainable-tau",
        Long.getLong("rewind.seed", 20261209L),
        (i, seed) -> {
          Cases c = Cases.draw(seed, 200, 600, i % 2 == 1);
          return (i % 3 == 2 ? c.withStepLabels() : c).withTrainableTimeConstants();
        });
  }

  /**
   * Six cases drawn from seeds {@code base}, {@code base + 1}, ..., checked with their slow tier on
   * local disk (even ones) and on the heap (odd ones); both are empty afterwards.
   */
  private List<Cases> checkOnHeapAndDisk(String folder, long base, CaseDraw draw)
      throws IOException {
    List<Cases> cases = new ArrayList<>();
    try (BlobStore disk = BlobStores.localDisk(dir.resolve(folder));
        BlobStore heap = BlobStores.heap(1L << 30)) {
      for (int i = 0; i < 6; i++) {
        long seed = base + i;
        Cases c = draw.draw(i, seed);
        System.out.println("case " + c);
        check(c, i % 2 == 0 ? disk : heap, new SplittableRandom(seed ^ 0x5DEECE66DL));
        cases.add(c);
      }
      assertEquals(0, disk.storedBytes(), "every checkpoint was freed");
      assertEquals(0, heap.storedBytes(), "every checkpoint was freed");
    }
    return cases;
  }

  private interface CaseDraw {
    Cases draw(int index, long seed);
  }

  @Test
  void truncatedBpttIsBitIdenticalToStoreAllTruncatedUnderEverySchedule() throws IOException {
    long base = Long.getLong("rewind.seed", 20261202L);
    try (BlobStore disk = BlobStores.localDisk(dir.resolve("slow-truncated"))) {
      for (int i = 0; i < 4; i++) {
        long seed = base + i;
        Cases c = Cases.draw(seed, 200, 400);
        SplittableRandom r = new SplittableRandom(seed);
        int window = 1 + r.nextInt(c.steps());
        System.out.println("case " + c + ", truncation " + window);
        BpttResult expected =
            new StoreAllBptt(c.config(), c.batch(), window).run(c.parameters(), c.frames());
        try (CheckpointExecutor executor =
            new CheckpointExecutor(c.config(), c.batch(), disk, ExecutorSettings.DEFAULT, window)) {
          for (Schedule schedule : schedules(r, c.steps())) {
            String what = schedule.description() + ", truncation " + window + " on " + c;
            CheckpointResult got = executor.run(c.parameters(), c.frames(), schedule, Cases.cost());
            assertEquals(expected.loss(), got.loss(), "loss of " + what);
            assertArrayEquals(expected.gradient(), got.gradient(), "gradient of " + what);
          }
        }
      }
      assertEquals(0, disk.storedBytes(), "every checkpoint was freed");
    }
  }

  static void check(Cases c, BlobStore slow, SplittableRandom r) throws IOException {
    check(c, slow, schedules(r, c.steps()));
  }

  static void check(Cases c, BlobStore slow, List<Schedule> schedules) throws IOException {
    BpttResult expected = new StoreAllBptt(c.config(), c.batch()).run(c.parameters(), c.frames());
    try (CheckpointExecutor executor =
        new CheckpointExecutor(c.config(), c.batch(), slow, ExecutorSettings.DEFAULT)) {
      for (Schedule schedule : schedules) {
        String what = schedule.description() + " on " + c;
        CheckpointResult got = executor.run(c.parameters(), c.frames(), schedule, Cases.cost());
        assertEquals(expected.loss(), got.loss(), "loss of " + what);
        assertArrayEquals(expected.logits(), got.logits(), "logits of " + what);
        assertArrayEquals(expected.gradient(), got.gradient(), "gradient of " + what);
        SimulationReport plan = ScheduleSimulator.simulate(schedule, Cases.cost());
        RunMetrics m = got.metrics();
        System.out.printf(
            "  %s: %.3f s, %d slow saves, blocked %.3f s%n",
            schedule.description(), m.measuredSeconds(), m.slowSaves(), m.blockedIoNanos() / 1e9);
        assertEquals(plan.recomputedSteps(), m.recomputedSteps(), "recomputed steps of " + what);
        assertEquals(plan.tapedSteps(), m.tapedSteps(), "taped steps of " + what);
        assertEquals(plan.slowSaves(), m.slowSaves(), "slow saves of " + what);
        assertEquals(plan.slowLoads(), m.slowLoads(), "slow loads of " + what);
        assertEquals(plan.memorySaves(), m.memorySaves(), "memory saves of " + what);
        assertEquals(plan.peakMemorySlots(), m.peakMemorySlots(), "peak slots of " + what);
        assertEquals(plan.peakTapeSteps(), m.peakTapeSteps(), "peak tape of " + what);
        assertEquals(plan.peakSlowStates(), m.peakSlowStates(), "peak slow states of " + what);
        assertEquals(plan.predictedSeconds(), m.predictedSeconds(), 1e-9, "prediction of " + what);
      }
    }
  }
}
