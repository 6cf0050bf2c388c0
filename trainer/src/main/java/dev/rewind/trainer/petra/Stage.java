package dev.rewind.trainer.petra;

import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.optim.GradientClipping;
import dev.rewind.trainer.optim.LearningRateSchedule;
import dev.rewind.trainer.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A contiguous slice of a {@link ReversibleNetwork}: blocks [fromBlock, toBlock), plus the stem if
 * it is the first stage and the readout if it is the last. It owns its modules' parameters (live
 * arrays of the shared {@link NetworkParameters}), their gradient sums and optimizers, and steps
 * them after every {@code accumulate} backward passes. Backward passes must come in forward order
 * (FIFO). Confined to one thread at a time.
 *
 * <p>{@link Retention#RECONSTRUCT} is PETRA's stage: reversible blocks keep nothing between forward
 * and backward and rebuild their input from their output with the current parameters; only the stem
 * keeps its input frames. {@link Retention#STORE} is backprop's: every block keeps its activations
 * and tapes until its backward, which is then exact. With {@link StageConfig#inStage()} a
 * reconstructing stage runs F and G's backward over time under that checkpoint schedule (its own
 * {@link MapScheduler}, closed by {@link #close()}).
 */
final class Stage implements AutoCloseable {

  /** What a stage keeps between a micro-batch's forward and its backward. */
  enum Retention {
    RECONSTRUCT,
    STORE
  }

  private record Buffered(long id, FrameSource frames) {}

  private record Stored(long id, List<ReversibleBlock.StoredBlock> blocks) {}

  private final int index;
  private final ReversibleNetwork network;
  private final int fromBlock;
  private final int toBlock;
  private final boolean first;
  private final boolean last;
  private final Retention retention;
  private final int accumulate;
  private final int probeInterval;
  private final PetraListener listener;
  private final Optional<GradientClipping> clipping;
  private final MapScheduler scheduler;
  private final List<float[]> params = new ArrayList<>();
  private final List<float[]> grads = new ArrayList<>();
  private final List<Optimizer> optimizers = new ArrayList<>();
  private final ArrayDeque<Buffered> inputBuffer = new ArrayDeque<>();
  private final ArrayDeque<Stored> stored = new ArrayDeque<>();
  private final Map<Long, Activation> probes = new HashMap<>();
  private long heldBytes;
  private long peakBytes;
  private long peakOffchipBytes;
  private long backwards;
  private long updates;
  private int pending;
  private long probeCount;
  private double probeMax;
  private double probeSum;

  Stage(
      int index,
      ReversibleNetwork network,
      NetworkParameters parameters,
      int fromBlock,
      int toBlock,
      Retention retention,
      StageConfig config,
      PetraListener listener) {
    network.requireShape(parameters);
    int blocks = network.config().blocks();
    if (fromBlock < 0 || toBlock <= fromBlock || toBlock > blocks) {
      throw new IllegalArgumentException(
          "stage "
              + index
              + " blocks: expected 0 <= from < to <= "
              + blocks
              + ", got ["
              + fromBlock
              + ", "
              + toBlock
              + ")");
    }
    this.index = index;
    this.network = network;
    this.fromBlock = fromBlock;
    this.toBlock = toBlock;
    this.first = fromBlock == 0;
    this.last = toBlock == blocks;
    this.retention = retention;
    this.accumulate = config.accumulate();
    this.probeInterval = retention == Retention.RECONSTRUCT ? config.probeInterval() : 0;
    this.listener = listener;
    this.clipping = config.clipping();
    this.scheduler =
        retention == Retention.RECONSTRUCT
            ? config.inStage().map(MapScheduler::new).orElse(null)
            : null;
    int fromModule = first ? 0 : fromBlock + 1;
    int toModule = last ? blocks + 2 : toBlock + 1;
    for (int m = fromModule; m < toModule; m++) {
      float[] p = parameters.module(m);
      params.add(p);
      grads.add(new float[p.length]);
      optimizers.add(config.optimizer().create(p.length, LearningRateSchedule.constant()));
    }
  }

  /** The stages of {@code network} split into {@code count} slices of near-equal block counts. */
  static List<Stage> split(
      ReversibleNetwork network,
      NetworkParameters parameters,
      Retention retention,
      StageConfig config,
      PetraListener listener) {
    int blocks = network.config().blocks();
    int count = config.stages();
    if (count > blocks) {
      throw new IllegalArgumentException(
          "stages: expected at most the number of blocks " + blocks + ", got " + count);
    }
    List<Stage> stages = new ArrayList<>();
    for (int j = 0; j < count; j++) {
      stages.add(
          new Stage(
              j,
              network,
              parameters,
              j * blocks / count,
              (j + 1) * blocks / count,
              retention,
              config,
              listener));
    }
    return stages;
  }

  int index() {
    return index;
  }

  boolean isFirst() {
    return first;
  }

  boolean isLast() {
    return last;
  }

  /** Forward of the first stage on input frames; buffers them for the stem's backward. */
  Activation forward(long id, FrameSource frames) {
    requireFirst(true);
    inputBuffer.addLast(new Buffered(id, frames));
    hold(InputProjection.frameBytes(frames));
    return blocks(id, network.stem().forward(params.get(0), 0, frames));
  }

  /** Forward of a later stage on the activation from the stage below. */
  Activation forward(long id, Activation x) {
    requireFirst(false);
    return blocks(id, x);
  }

  private Activation blocks(long id, Activation x) {
    if (probeInterval > 0 && id % probeInterval == 0) {
      probes.put(id, x.copy());
    }
    List<ReversibleBlock.StoredBlock> kept = new ArrayList<>();
    for (int b = fromBlock; b < toBlock; b++) {
      float[] p = blockParams(b);
      if (retention == Retention.STORE) {
        ReversibleBlock.StoredBlock s = network.block().forwardStored(p, 0, x);
        hold(s.bytes());
        kept.add(s);
        x = s.output();
      } else {
        x = network.block().forward(p, 0, x);
      }
    }
    if (retention == Retention.STORE) {
      stored.addLast(new Stored(id, kept));
    }
    return x;
  }

  /** The readout's forward and backward on this (last) stage's output. */
  LeakyReadout.HeadResult head(Activation y, int[] labels) {
    if (!last) {
      throw new IllegalStateException("stage " + index + " has no readout");
    }
    int m = params.size() - 1;
    return network.readout().forwardBackward(params.get(m), 0, y, labels, grads.get(m), 0);
  }

  /**
   * Backward of micro-batch {@code id} given this stage's output {@code y} (ignored when storing)
   * and dL/dy. Returns the (rebuilt or stored) input of the stage and its gradient, or empty for
   * the first stage, whose input is data.
   */
  Optional<ReversibleBlock.Reconstructed> backward(long id, Activation y, Activation dy) {
    Activation x = y;
    Activation dx = dy;
    if (retention == Retention.STORE) {
      Stored s = stored.pollFirst();
      requireId("stored activations", s == null ? null : s.id(), id);
      for (int b = toBlock - 1; b >= fromBlock; b--) {
        ReversibleBlock.StoredBlock block = s.blocks().get(b - fromBlock);
        dx = network.block().backwardStored(blockParams(b), 0, block, dx, blockGrads(b), 0);
        release(block.bytes());
      }
      x = null;
    } else {
      for (int b = toBlock - 1; b >= fromBlock; b--) {
        ReversibleBlock.Reconstructed r = reconstruct(b, x, dx);
        hold(r.memoryBytes());
        release(r.memoryBytes());
        peakOffchipBytes = Math.max(peakOffchipBytes, r.offchipBytes());
        x = r.input();
        dx = r.inputGradient();
      }
      Activation seen = probes.remove(id);
      if (seen != null) {
        double error = x.relativeError(seen);
        probeCount++;
        probeSum += error;
        probeMax = Math.max(probeMax, error);
        listener.onReconstruction(index, id, error);
      }
    }
    backwards++;
    if (first) {
      Buffered input = inputBuffer.pollFirst();
      requireId("input buffer", input == null ? null : input.id(), id);
      network.stem().backward(input.frames(), dx, grads.get(0), 0);
      release(InputProjection.frameBytes(input.frames()));
      completeBackward();
      return Optional.empty();
    }
    completeBackward();
    return Optional.of(new ReversibleBlock.Reconstructed(x, dx, 0, 0));
  }

  private ReversibleBlock.Reconstructed reconstruct(int b, Activation y, Activation dy) {
    ReversibleBlock block = network.block();
    if (scheduler == null) {
      return block.backwardFromOutput(blockParams(b), 0, y, dy, blockGrads(b), 0);
    }
    try {
      return block.backwardFromOutput(blockParams(b), 0, y, dy, blockGrads(b), 0, scheduler);
    } catch (IOException e) {
      throw new UncheckedIOException("stage " + index + " block " + b + ": " + e.getMessage(), e);
    }
  }

  /** Stops the in-stage schedule's I/O thread, if any. */
  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.close();
    }
  }

  private void completeBackward() {
    pending++;
    if (pending == accumulate) {
      update();
    }
  }

  /** Applies the gradients of the backward passes not yet applied, if any. */
  void flush() {
    if (pending > 0) {
      update();
    }
  }

  private void update() {
    scale(1.0 / pending);
    if (clipping.isPresent()) {
      double squares = 0;
      for (float[] g : grads) {
        double n = GradientClipping.norm(g);
        squares += n * n;
      }
      // the same rule as GradientClipping, over all of this stage's modules at once
      double factor = clipping.get().maxNorm() / (Math.sqrt(squares) + 1e-6);
      if (factor < 1) {
        scale(factor);
      }
    }
    listener.onUpdate(index, updates, grads);
    for (int m = 0; m < params.size(); m++) {
      optimizers.get(m).step(params.get(m), grads.get(m));
      Arrays.fill(grads.get(m), 0f);
    }
    updates++;
    pending = 0;
  }

  private void scale(double factor) {
    for (float[] g : grads) {
      for (int i = 0; i < g.length; i++) {
        g[i] = (float) (g[i] * factor);
      }
    }
  }

  StageReport report() {
    return new StageReport(
        index,
        toBlock - fromBlock,
        backwards,
        updates,
        peakBytes,
        peakOffchipBytes,
        probeCount,
        probeMax,
        probeCount == 0 ? 0 : probeSum / probeCount);
  }

  private float[] blockParams(int block) {
    return params.get(block - fromBlock + (first ? 1 : 0));
  }

  private float[] blockGrads(int block) {
    return grads.get(block - fromBlock + (first ? 1 : 0));
  }

  private void hold(long bytes) {
    heldBytes += bytes;
    peakBytes = Math.max(peakBytes, heldBytes);
  }

  private void release(long bytes) {
    heldBytes -= bytes;
  }

  private void requireFirst(boolean expected) {
    if (first != expected) {
      throw new IllegalStateException(
          "stage "
              + index
              + (first ? " is the first stage: it takes frames" : " takes activations"));
    }
  }

  private void requireId(String what, Long found, long expected) {
    if (found == null || found != expected) {
      throw new IllegalStateException(
          "stage " + index + " " + what + ": expected micro-batch " + expected + ", got " + found);
    }
  }
}
