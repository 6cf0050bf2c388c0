package dev.rewind.spark.train;

import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;

/**
 * Creates the {@link SequenceGradient} tasks use. Today every schedule runs as store-all BPTT
 * ({@link StoreAllBptt}), which every checkpoint schedule matches bit for bit; the checkpoint
 * executor replaces it here and nowhere else.
 */
public final class SequenceGradients {
  private SequenceGradients() {}

  /** A gradient function for {@code config} at {@code parameters} (not copied, not modified). */
  public static SequenceGradient create(
      ModelConfig config, float[] parameters, ScheduleOptions schedule) {
    Parameters p = Parameters.wrap(config, parameters);
    StoreAllBptt bptt = new StoreAllBptt(config, 1);
    return (frames, offChip) -> {
      if (frames.batchSize() != 1) {
        throw new IllegalArgumentException(
            "sequence gradient: expected one sequence per call, got " + frames.batchSize());
      }
      BpttResult r = bptt.run(p, frames);
      return new SequenceResult(r.loss(), r.result().correct(), r.gradient(), frames.steps(), 0);
    };
  }
}
