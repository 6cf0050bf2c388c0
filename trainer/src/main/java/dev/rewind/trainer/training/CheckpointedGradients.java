package dev.rewind.trainer.training;

import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.LossResult;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.checkpoint.CheckpointResult;
import dev.rewind.trainer.checkpoint.SequenceTrainer;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.schedule.RunMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Gradients through a checkpoint schedule ({@link SequenceTrainer}): the same numbers as store-all
 * BPTT in bounded memory. Evaluation runs the forward pass alone, which keeps nothing per step.
 * Each gradient's cost (recomputation, off-chip bytes, time blocked on I/O) goes to a consumer.
 */
public final class CheckpointedGradients implements GradientFunction {
  private final SequenceTrainer trainer;
  private final StoreAllBptt forward;
  private final Consumer<RunMetrics> metrics;
  private StepCost lastCost = StepCost.NONE;

  public CheckpointedGradients(
      ModelConfig config, int batch, SequenceTrainer trainer, Consumer<RunMetrics> metrics) {
    this.trainer = trainer;
    this.forward = new StoreAllBptt(config, batch);
    this.metrics = metrics;
  }

  @Override
  public BpttResult gradient(Parameters parameters, FrameSource batch) {
    try {
      CheckpointResult result = trainer.gradient(parameters, batch);
      metrics.accept(result.metrics());
      lastCost = StepCost.of(result.metrics());
      return result.bptt();
    } catch (IOException e) {
      throw new UncheckedIOException("off-chip store failed during a training step", e);
    }
  }

  @Override
  public StepCost lastCost() {
    return lastCost;
  }

  @Override
  public LossResult evaluate(Parameters parameters, FrameSource batch) {
    return forward.evaluate(parameters, batch);
  }
}
