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
 * @param inStage inside PETRA's reversible stages, the backward of F and G over time runs under
 *     this checkpoint schedule (checkpoints in memory or off-chip, bit-identical gradients); empty
 *     keeps whole tapes. Backprop always stores whole tapes.
 * @param clipping when present, each stage clips the global L2 norm of its own (averaged) gradient
 *     before its step
 */
public record StageConfig(
    int stages,
    int accumulate,
    OptimizerConfig optimizer,
    int probeInterval,
    Optional<InStageSchedule> inStage,
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
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(inStage, "inStage");
    Objects.requireNonNull(clipping, "clipping");
  }

  /** Whole tapes, no clipping. */
  public StageConfig(int stages, int accumulate, OptimizerConfig optimizer, int probeInterval) {
    this(stages, accumulate, optimizer, probeInterval, Optional.empty(), Optional.empty());
  }

  /** The same config with F and G of PETRA's stages run under {@code schedule}. */
  public StageConfig withInStage(InStageSchedule schedule) {
    return new StageConfig(
        stages, accumulate, optimizer, probeInterval, Optional.of(schedule), clipping);
  }
}
