package dev.rewind.trainer.petra;

import dev.rewind.trainer.data.FrameSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * PETRA (Rivaud et al., ICLR 2025): J stages on J threads, exchanging activations up and (rebuilt
 * input, gradient) pairs down through a {@link StageTransport}. At every tick stage j forwards the
 * next micro-batch and runs the backward of the micro-batch it forwarded {@code 2 (J - 1 - j)}
 * ticks earlier; the last stage runs forward, readout and backward at once. Reversible blocks
 * rebuild their input from their output with the stage's current parameters (the forward may have
 * used older ones), so they keep no activations; the stem keeps its input frames. Each stage steps
 * after {@code accumulate} backward passes, with one version of its parameters (no weight
 * stashing).
 *
 * <p>Each stage's sequence of operations depends only on its index, J and the micro-batch count,
 * never on thread timing, so a run is deterministic. With J = 1 the one stage runs forward and
 * backward of each micro-batch in turn: the gradients are backprop's up to the float rounding of
 * the block inversion.
 */
final class PetraTrainer implements StageTrainer {

  /**
   * The schedule keeps at most three messages in flight per channel (a stage can run ahead of its
   * neighbour by at most two ticks before it needs an answer from it), so four never blocks a send.
   */
  static final int CHANNEL_CAPACITY = 4;

  private final ReversibleNetwork network;
  private final StageConfig config;
  private final IntFunction<StageTransport> transports;

  /** PETRA with an {@link InProcessTransport}. */
  public PetraTrainer(ReversibleNetwork network, StageConfig config) {
    this(network, config, stages -> new InProcessTransport(stages, CHANNEL_CAPACITY));
  }

  /**
   * PETRA over the transports {@code transports} creates for a given number of stages, one per
   * {@link #train} call.
   */
  public PetraTrainer(
      ReversibleNetwork network, StageConfig config, IntFunction<StageTransport> transports) {
    this.network = Objects.requireNonNull(network, "network");
    this.config = Objects.requireNonNull(config, "config");
    this.transports = Objects.requireNonNull(transports, "transports");
  }

  @Override
  public TrainingReport train(
      NetworkParameters parameters,
      MicroBatchSource data,
      long firstIndex,
      int microBatches,
      PetraListener listener) {
    if (microBatches < 1) {
      throw new IllegalArgumentException("microBatches: expected >= 1, got " + microBatches);
    }
    List<Stage> stages =
        Stage.split(network, parameters, Stage.Retention.RECONSTRUCT, config, listener);
    StageTransport transport = transports.apply(stages.size());
    RunStatistics statistics = new RunStatistics();
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            stages.size(),
            r -> {
              Thread t = new Thread(r, "petra-stage-" + threadNumber.getAndIncrement());
              t.setDaemon(true);
              return t;
            });
    long start = System.nanoTime();
    try {
      ExecutorCompletionService<Void> done = new ExecutorCompletionService<>(pool);
      for (Stage stage : stages) {
        done.submit(
            () -> {
              new StageLoop(stage, stages.size(), transport, data, firstIndex, microBatches)
                  .run(listener, statistics);
              return null;
            });
      }
      for (int i = 0; i < stages.size(); i++) {
        done.take().get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("PETRA training interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("PETRA stage failed", cause);
    } finally {
      pool.shutdownNow();
      stages.forEach(Stage::close);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    List<StageReport> reports = new ArrayList<>();
    for (Stage stage : stages) {
      reports.add(stage.report());
    }
    return new TrainingReport(
        microBatches,
        seconds,
        statistics.meanLoss(microBatches),
        statistics.meanAccuracy(microBatches),
        reports);
  }

  /** One stage's ticks. */
  private record StageLoop(
      Stage stage,
      int stageCount,
      StageTransport transport,
      MicroBatchSource data,
      long firstIndex,
      int microBatches) {

    void run(PetraListener listener, RunStatistics statistics) throws InterruptedException {
      int j = stage.index();
      int lag = 2 * (stageCount - 1 - j);
      for (int tick = 0; tick < microBatches + lag; tick++) {
        if (tick < microBatches) {
          long id = firstIndex + tick;
          Activation y;
          int[] labels;
          if (stage.isFirst()) {
            FrameSource frames = data.batch(id);
            labels = ReversibleNetwork.labels(frames);
            y = stage.forward(id, frames);
          } else {
            StageTransport.ForwardMessage in = transport.receiveForward(j);
            requireId("activation", in.id(), id);
            labels = in.labels();
            y = stage.forward(id, in.activation());
          }
          if (stage.isLast()) {
            LeakyReadout.HeadResult head = stage.head(y, labels);
            statistics.add(head);
            listener.onMicroBatch(id, head);
            backward(id, y, head.inputGradient());
          } else {
            transport.sendForward(j + 1, new StageTransport.ForwardMessage(id, y, labels));
          }
        }
        if (!stage.isLast() && tick >= lag) {
          long id = firstIndex + tick - lag;
          StageTransport.BackwardMessage in = transport.receiveBackward(j);
          requireId("gradient", in.id(), id);
          backward(id, in.input(), in.gradient());
        }
      }
      stage.flush();
    }

    private void backward(long id, Activation y, Activation dy) throws InterruptedException {
      var below = stage.backward(id, y, dy);
      if (below.isPresent()) {
        transport.sendBackward(
            stage.index() - 1,
            new StageTransport.BackwardMessage(
                id, below.get().input(), below.get().inputGradient()));
      }
    }

    private void requireId(String what, long found, long expected) {
      if (found != expected) {
        throw new IllegalStateException(
            "stage "
                + stage.index()
                + " received the "
                + what
                + " of micro-batch "
                + found
                + ", expected "
                + expected);
      }
    }
  }
}
