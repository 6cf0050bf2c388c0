package dev.rewind.trainer.petra;

import dev.rewind.trainer.optim.GradientClipping;
import dev.rewind.trainer.optim.OptimizerConfig;
import java.util.Objects;
import java.util.Optional;

/**
 * How a network is split and trained in stages.
 *
 * @param stages number of stages J, >= 1 and at most the number of blocks
 * @param accumulate backward passes per optimizer step k, >= 1; the step uses their mean gradient
 * @param optimizer optimizer of every module (each stage steps its own modules)
 * @param probeInterval measure the reconstruction error of every {@code probeInterval}-th
 *     micro-batch (0 = never); a probe keeps a copy of a reversible stage's input until its
 *     backward, for diagnostics only
 * @param checkpointInterval inside PETRA's reversible stages, F and G keep their LIF state every
 *     {@code checkpointInterval} steps and recompute each segment with a tape during the backward
 *     (periodic checkpointing, bit-identical gradients); 0 keeps whole tapes. Backprop always
 *     stores whole tapes.
 * @param clipping when present, each stage clips the global L2 norm of its own (averaged) gradient
 *     before its step
 */
public record StageConfig(
    int stages,
    int accumulate,
    OptimizerConfig optimizer,
    int probeInterval,
    int checkpointInterval,
    Optional<GradientClipping> clipping) {

  public StageConfig {
    if (stages < 1) {
      throw new IllegalArgumentException("stages: expected >= 1, got " + stages);
    }
    if (accumulate < 1) {
      throw new IllegalArgumentException("accumulate: expected >= 1, got " + accumulate);
    }
    if (probeInterval < 0) {
      throw new IllegalArgumentException("probeInterval: expected >= 0, got " + probeInterval);
    }
    if (checkpointInterval < 0) {
      throw new IllegalArgumentException(
          "checkpointInterval: expected >= 0, got " + checkpointInterval);
    }
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(clipping, "clipping");
  }

  /** Whole tapes, no clipping. */
  public StageConfig(int stages, int accumulate, OptimizerConfig optimizer, int probeInterval) {
    this(stages, accumulate, optimizer, probeInterval, 0, Optional.empty());
  }
}
