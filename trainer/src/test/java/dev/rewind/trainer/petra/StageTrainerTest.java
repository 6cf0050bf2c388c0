package dev.rewind.trainer.petra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.trainer.data.EventFrames;
import dev.rewind.trainer.optim.AdamConfig;
import dev.rewind.trainer.schedule.CostModel;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.ScheduleSpec;
import dev.rewind.trainer.schedule.TierCost;
import dev.rewind.trainer.training.StepMetrics;
import dev.rewind.trainer.training.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class StageTrainerTest {
  private static final CueTask TASK = new CueTask(20, 3, 3, 0.3, 0.05);
  private static final long SEED = 11;
  private static final ReversibleNetwork NETWORK =
      new ReversibleNetwork(
          ReversibleNetworkConfig.defaults(TASK.channels(), 6, 16, 3, 3).withRecurrent(true));
  private static final MicroBatchSource DATA = i -> TASK.generate(8, SEED * 7919 + i);

  /** Collects the gradients of every update, by stage. */
  private static final class Recorder implements PetraListener {
    final Map<Integer, List<float[]>> gradients = new ConcurrentHashMap<>();
    final List<Double> losses = new CopyOnWriteArrayList<>();
    final List<Double> errors = new CopyOnWriteArrayList<>();

    @Override
    public void onUpdate(int stage, long update, List<float[]> grads) {
      int n = 0;
      for (float[] g : grads) {
        n += g.length;
      }
      float[] flat = new float[n];
      int k = 0;
      for (float[] g : grads) {
        System.arraycopy(g, 0, flat, k, g.length);
        k += g.length;
      }
      gradients.computeIfAbsent(stage, s -> new CopyOnWriteArrayList<>()).add(flat);
    }

    @Override
    public void onMicroBatch(long id, LeakyReadout.HeadResult result) {
      losses.add(result.loss());
    }

    @Override
    public void onReconstruction(int stage, long id, double relativeError) {
      errors.add(relativeError);
    }
  }

  private static StageConfig config(int stages, int accumulate) {
    return new StageConfig(stages, accumulate, AdamConfig.defaults(1e-3), 1);
  }

  /**
   * J = 1 has no delay: PETRA's gradients are backprop's. They differ only by the rounding of the
   * block inversion (x2' = (x2 + G(y1)) - G(y1) in float), which the relative tolerance covers.
   */
  @Test
  void oneStageGradientsEqualBackprop() {
    NetworkParameters start = NETWORK.initialise(SEED);
    Recorder exact = new Recorder();
    NetworkParameters pb = start.copy();
    new BackpropTrainer(NETWORK, config(1, 2)).train(pb, DATA, 0, 6, exact);
    Recorder petra = new Recorder();
    NetworkParameters pp = start.copy();
    TrainingReport report = new PetraTrainer(NETWORK, config(1, 2)).train(pp, DATA, 0, 6, petra);

    List<float[]> a = exact.gradients.get(0);
    List<float[]> b = petra.gradients.get(0);
    assertEquals(3, a.size(), "updates of backprop");
    assertEquals(3, b.size(), "updates of PETRA");
    for (int u = 0; u < a.size(); u++) {
      double worst = Tensors.assertClose("update " + u, Tensors.toDouble(a.get(u)), b.get(u), 1e-5);
      System.out.printf(
          "J=1 update %d: max |petra - backprop| / max |backprop| = %.3g%n", u, worst);
    }
    for (int i = 0; i < exact.losses.size(); i++) {
      assertEquals(exact.losses.get(i), petra.losses.get(i), 1e-6, "loss of micro-batch " + i);
    }
    StageReport stage = report.stages().get(0);
    assertEquals(6, stage.probes(), "every micro-batch probed");
    assertTrue(stage.maxReconstructionError() < 1e-6, "J=1 error is rounding only: " + stage);
  }

  @Test
  void accumulatedGradientIsTheMeanOfItsMicroBatches() {
    NetworkParameters start = NETWORK.initialise(SEED);
    Recorder two = new Recorder();
    new BackpropTrainer(NETWORK, config(1, 2)).train(start.copy(), DATA, 0, 2, two);
    Recorder first = new Recorder();
    new BackpropTrainer(NETWORK, config(1, 1)).train(start.copy(), DATA, 0, 1, first);
    Recorder second = new Recorder();
    new BackpropTrainer(NETWORK, config(1, 1)).train(start.copy(), DATA, 1, 1, second);
    float[] g1 = first.gradients.get(0).get(0);
    float[] g2 = second.gradients.get(0).get(0);
    float[] mean = two.gradients.get(0).get(0);
    double[] expected = new double[g1.length];
    for (int i = 0; i < g1.length; i++) {
      expected[i] = 0.5 * ((double) g1[i] + g2[i]);
    }
    Tensors.assertClose("mean gradient", expected, mean, 1e-6);
  }

  /** PETRA speaks the other engines' listener vocabulary: one step per micro-batch, in order. */
  @Test
  @Timeout(60)
  void microBatchesReachATrainingListenerAsSteps() {
    List<StepMetrics> steps = new java.util.ArrayList<>();
    TrainingListener collect =
        new TrainingListener() {
          @Override
          public void onStep(StepMetrics m) {
            steps.add(m);
          }
        };
    TrainingReport report =
        new PetraTrainer(NETWORK, config(3, 2))
            .train(NETWORK.initialise(SEED), DATA, 9, 6, new PetraSteps(collect, 1, 9));
    assertEquals(6, steps.size());
    double loss = 0;
    for (int i = 0; i < 6; i++) {
      StepMetrics m = steps.get(i);
      assertEquals(1, m.epoch());
      assertEquals(i, m.step());
      assertEquals(10 + i, m.globalStep());
      loss += m.loss();
    }
    assertEquals(report.meanLoss(), loss / 6, 1e-12);
  }

  /** Thread timing never changes what a stage computes: two runs give identical parameters. */
  @Test
  @Timeout(60)
  void pipelineIsDeterministic() {
    NetworkParameters start = NETWORK.initialise(SEED);
    NetworkParameters p1 = start.copy();
    NetworkParameters p2 = start.copy();
    new PetraTrainer(NETWORK, config(3, 2)).train(p1, DATA, 0, 9, PetraListener.NONE);
    new PetraTrainer(NETWORK, config(3, 2)).train(p2, DATA, 0, 9, PetraListener.NONE);
    for (int m = 0; m < start.moduleCount(); m++) {
      assertArrayEquals(p1.module(m), p2.module(m), "module " + m);
    }
  }

  /**
   * With J = 3 the lower stages rebuild inputs with parameters newer than their forward's: the
   * measured error is reported, larger than rounding; the last stage has no delay.
   */
  @Test
  @Timeout(60)
  void delayedStagesReportReconstructionError() {
    Recorder recorder = new Recorder();
    TrainingReport r =
        new PetraTrainer(NETWORK, new StageConfig(3, 1, AdamConfig.defaults(1e-2), 2))
            .train(NETWORK.initialise(SEED), DATA, 0, 10, recorder);
    assertEquals(3, r.stages().size());
    for (StageReport s : r.stages()) {
      System.out.println(s);
      assertEquals(10, s.backwards());
      assertEquals(10, s.updates());
      assertEquals(5, s.probes());
    }
    assertEquals(15, recorder.errors.size());
    assertTrue(r.stages().get(2).maxReconstructionError() < 1e-6, "last stage: no delay");
    assertTrue(r.stages().get(0).maxReconstructionError() > 1e-5, "first stage: stale weights");
  }

  /** Reversible stages keep no activations between forward and backward; backprop keeps them. */
  @Test
  void petraHoldsLessActivationMemory() {
    StageConfig c = config(3, 1);
    TrainingReport petra =
        new PetraTrainer(NETWORK, c)
            .train(NETWORK.initialise(SEED), DATA, 0, 6, PetraListener.NONE);
    TrainingReport backprop =
        new BackpropTrainer(NETWORK, c)
            .train(NETWORK.initialise(SEED), DATA, 0, 6, PetraListener.NONE);
    long tape = NETWORK.block().tapeBytes(20, 8);
    long frames = 4L * 20 * 8 * TASK.channels();
    // PETRA: one block's tapes during its backward, plus (stage 0) the buffered input frames of
    // the 2 (J - 1) + 1 micro-batches between a forward and its backward.
    assertEquals(tape + 5 * frames, petra.stages().get(0).peakActivationBytes());
    assertEquals(tape, petra.stages().get(1).peakActivationBytes());
    assertEquals(tape, petra.stages().get(2).peakActivationBytes());
    for (int j = 0; j < 3; j++) {
      assertTrue(
          backprop.stages().get(j).peakActivationBytes() > tape,
          "backprop stores every block's tapes: " + backprop.stages().get(j));
    }
  }

  private static InStageSchedule inStage(String spec, BlobStore offchip) {
    return new InStageSchedule(
        ScheduleSpec.parse(spec),
        MemoryBudget.UNLIMITED,
        offchip,
        Optional.of(
            new CostModel(
                1e-6,
                1.2e-6,
                2e-6,
                8L * 8 * 16,
                8L * 8 * 16,
                new TierCost(1e-8, 1e-8),
                new TierCost(2e-5, 2e-5))));
  }

  /**
   * Checkpoint schedules inside F and G (memory, and off-chip on local disk) give bit-identical
   * training and hold less than whole tapes; every off-chip checkpoint is removed afterwards.
   */
  @Test
  @Timeout(120)
  void checkpointedStagesTrainBitIdenticallyWithLessMemory(@TempDir Path dir) throws IOException {
    NetworkParameters whole = NETWORK.initialise(SEED);
    TrainingReport a =
        new PetraTrainer(NETWORK, config(3, 2)).train(whole, DATA, 0, 8, PetraListener.NONE);
    Path disk = dir.resolve("offchip");
    try (BlobStore local = BlobStores.localDisk(disk)) {
      for (String spec : List.of("periodic:k=6", "revolve:slots=2", "double:K=8,k=3")) {
        NetworkParameters scheduled = NETWORK.initialise(SEED);
        TrainingReport b =
            new PetraTrainer(NETWORK, config(3, 2).withInStage(inStage(spec, local)))
                .train(scheduled, DATA, 0, 8, PetraListener.NONE);
        for (int m = 0; m < whole.moduleCount(); m++) {
          assertArrayEquals(whole.module(m), scheduled.module(m), spec + ": module " + m);
        }
        for (int j = 0; j < 3; j++) {
          StageReport sa = a.stages().get(j);
          StageReport sb = b.stages().get(j);
          assertEquals(sa.maxReconstructionError(), sb.maxReconstructionError(), spec);
          assertTrue(sb.peakActivationBytes() < sa.peakActivationBytes(), spec + ": " + sb);
          assertEquals(spec.startsWith("double"), sb.peakOffchipBytes() > 0, spec + ": " + sb);
        }
      }
      assertEquals(0, local.storedBytes(), "off-chip checkpoints left");
    }
    assertEquals(List.of(), Tensors.filesUnder(disk), "files left on disk");
  }

  /**
   * PETRA with J = 1 and F and G under an off-chip schedule: bit-identical to PETRA with whole
   * tapes, hence equal to backprop as in {@link #oneStageGradientsEqualBackprop}.
   */
  @Test
  @Timeout(60)
  void oneStageCheckpointedGradientsEqualBackprop(@TempDir Path dir) throws IOException {
    NetworkParameters start = NETWORK.initialise(SEED);
    Recorder exact = new Recorder();
    new BackpropTrainer(NETWORK, config(1, 2)).train(start.copy(), DATA, 0, 6, exact);
    Recorder whole = new Recorder();
    new PetraTrainer(NETWORK, config(1, 2)).train(start.copy(), DATA, 0, 6, whole);
    Recorder scheduled = new Recorder();
    try (BlobStore local = BlobStores.localDisk(dir.resolve("offchip"))) {
      new PetraTrainer(NETWORK, config(1, 2).withInStage(inStage("double:K=10,k=3", local)))
          .train(start.copy(), DATA, 0, 6, scheduled);
    }
    List<float[]> a = exact.gradients.get(0);
    List<float[]> b = scheduled.gradients.get(0);
    assertEquals(3, b.size(), "updates of PETRA");
    for (int u = 0; u < a.size(); u++) {
      assertArrayEquals(whole.gradients.get(0).get(u), b.get(u), "update " + u);
      double worst = Tensors.assertClose("update " + u, Tensors.toDouble(a.get(u)), b.get(u), 1e-5);
      System.out.printf(
          "J=1 double:K=10,k=3 update %d: max |petra - backprop| / max |backprop| = %.3g%n",
          u, worst);
    }
  }

  /**
   * Stages share nothing but messages: a transport that deep-copies every message (as one between
   * executors would) gives bit-identical parameters, and sees 2 (J - 1) messages per micro-batch.
   */
  @Test
  @Timeout(60)
  void stagesCommunicateOnlyThroughTheTransport() {
    java.util.concurrent.atomic.AtomicInteger messages =
        new java.util.concurrent.atomic.AtomicInteger();
    NetworkParameters shared = NETWORK.initialise(SEED);
    NetworkParameters copied = NETWORK.initialise(SEED);
    new PetraTrainer(NETWORK, config(3, 2)).train(shared, DATA, 0, 7, PetraListener.NONE);
    new PetraTrainer(
            NETWORK,
            config(3, 2),
            stages ->
                new StageTransport() {
                  private final InProcessTransport inner = new InProcessTransport(stages, 4);

                  @Override
                  public void sendForward(int toStage, ForwardMessage m)
                      throws InterruptedException {
                    messages.incrementAndGet();
                    inner.sendForward(
                        toStage,
                        new ForwardMessage(m.id(), m.activation().copy(), m.labels().clone()));
                  }

                  @Override
                  public ForwardMessage receiveForward(int stage) throws InterruptedException {
                    return inner.receiveForward(stage);
                  }

                  @Override
                  public void sendBackward(int toStage, BackwardMessage m)
                      throws InterruptedException {
                    messages.incrementAndGet();
                    inner.sendBackward(
                        toStage,
                        new BackwardMessage(m.id(), m.input().copy(), m.gradient().copy()));
                  }

                  @Override
                  public BackwardMessage receiveBackward(int stage) throws InterruptedException {
                    return inner.receiveBackward(stage);
                  }
                })
        .train(copied, DATA, 0, 7, PetraListener.NONE);
    for (int m = 0; m < shared.moduleCount(); m++) {
      assertArrayEquals(shared.module(m), copied.module(m), "module " + m);
    }
    assertEquals(7 * 2 * 2, messages.get());
  }

  @Test
  @Timeout(30)
  void aFailingStageStopsTheRunWithItsError() {
    MicroBatchSource bad =
        i -> {
          EventFrames f = TASK.generate(8, i);
          if (i < 3) {
            return f;
          }
          int[] labels = new int[8];
          java.util.Arrays.fill(labels, 7);
          return new EventFrames(20, TASK.channels(), new int[8][0], new int[8][0], labels);
        };
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new PetraTrainer(NETWORK, config(3, 1))
                    .train(NETWORK.initialise(SEED), bad, 0, 8, PetraListener.NONE));
    assertTrue(e.getMessage().contains("label"), e.getMessage());
  }

  @Test
  void rejectsMoreStagesThanBlocks() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new PetraTrainer(NETWORK, config(4, 1))
                    .train(NETWORK.initialise(SEED), DATA, 0, 2, PetraListener.NONE));
    assertEquals("stages: expected at most the number of blocks 3, got 4", e.getMessage());
  }

  @Test
  void trainerKindsAreSelectableByName() {
    assertTrue(
        StageTrainer.Kind.valueOf("PETRA").create(NETWORK, config(1, 1)) instanceof PetraTrainer);
    assertTrue(
        StageTrainer.Kind.valueOf("BACKPROP").create(NETWORK, config(1, 1))
            instanceof BackpropTrainer);
  }
}
