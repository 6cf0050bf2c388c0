package dev.rewind.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.data.LongMemoryTask;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.Surrogate;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.RunMetrics;
import dev.rewind.trainer.schedule.ScheduleSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of trainer/README.md, run as written, and held to store-all's gradient. */
class ReadmeExampleTest {
  @TempDir Path offChipDir;
  @TempDir Path calibration;

  @Test
  void theReadmeSnippetGivesStoreAllsGradient() throws Exception {
    // README begin
    ModelConfig config =
        new ModelConfig(20, List.of(new LayerConfig(64, true)), 2, new Surrogate.FastSigmoid(10));
    FrameSource frames = new LongMemoryTask(2000, 1000, 20, 2, 50, 0.05, 50).generate(4, 7);
    Parameters parameters = Parameters.initialise(config, 7, InitScheme.DEFAULT);
    TrainerSettings settings =
        TrainerSettings.of(
                ScheduleSpec.parse("double:K=100,k=10"), MemoryBudget.parse("64m"), "local-disk")
            .withCalibrationCache(calibration);
    try (BlobStore offChip = BlobStores.offChip(offChipDir, /* packs */ true);
        SequenceTrainer trainer =
            new SequenceTrainer(config, frames.batchSize(), offChip, settings)) {
      CheckpointResult result = trainer.gradient(parameters, frames);
      float[] gradient = result.bptt().gradient(); // bit-identical to store-all BPTT
      RunMetrics cost = result.metrics(); // recomputedSteps(), slowBytesWritten(), peakBytes(), ...
      // README end
      assertArrayEquals(
          new StoreAllBptt(config, frames.batchSize()).run(parameters, frames).gradient(),
          gradient);
      assertTrue(cost.recomputedSteps() > 0 && cost.slowBytesWritten() > 0, cost.toString());
    }
  }
}
