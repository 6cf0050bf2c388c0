package dev.rewind.trainer.learning;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.trainer.data.LongMemoryTask;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.Surrogate;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Full BPTT learns the {@link LongMemoryTask} at T = 1000 with a 500-step delay to >= 95% test
 * accuracy; truncated BPTT with a 250-step window (shorter than the delay) stays near chance. The
 * runs are deterministic (seeded data, initialisation and engine). About 3.5 minutes each on 2
 * cores, so tagged slow; the recorded runs are in docs/LEARNING.md, and {@link LearningProbe} runs
 * the same experiments from the command line.
 */
@Tag("slow")
class LongMemoryLearningTest {
  static final LongMemoryTask TASK = new LongMemoryTask(1000, 500, 20, 2, 200, 0.02, 300);
  static final ModelConfig CONFIG =
      new ModelConfig(
          20,
          List.of(new LayerConfig(64, true, Math.exp(-1.0 / 200))),
          2,
          new Surrogate.FastSigmoid(10));
  static final InitScheme INIT = new InitScheme(40, 1, 2.5);
  static final int ITERATIONS = Integer.getInteger("rewind.iterations", 1200);

  @Test
  void fullBpttLearnsAcrossTheDelay() {
    Parameters p = Parameters.initialise(CONFIG, 1, INIT);
    double accuracy =
        new LongMemoryTrainer(TASK, CONFIG, 32).train(p, ITERATIONS, 0.02, 0, 1000, true);
    System.out.printf("full BPTT: test accuracy %.3f%n", accuracy);
    assertTrue(accuracy >= 0.95, "full BPTT test accuracy " + accuracy);
  }

  @Test
  void truncatedBpttShorterThanTheDelayDoesNot() {
    Parameters p = Parameters.initialise(CONFIG, 1, INIT);
    double accuracy =
        new LongMemoryTrainer(TASK, CONFIG, 32).train(p, ITERATIONS, 0.02, 250, 1000, true);
    System.out.printf("truncated BPTT (window 250): test accuracy %.3f%n", accuracy);
    assertTrue(accuracy < 0.7, "truncated BPTT test accuracy " + accuracy);
  }
}
