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
 * Full BPTT learns the {@link LongMemoryTask} at T = 1000 with a 500-step delay; truncated BPTT
 * with a 250-step window (shorter than the delay) does not. Minutes on 2 cores, so tagged slow; the
 * recorded run is in docs/LEARNING.md. Run: {@code mvn -o -pl trainer -am test
 * -Dtest=LongMemoryLearningTest -Dsurefire.excludedGroups=
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("slow")
class LongMemoryLearningTest {
  static final LongMemoryTask TASK = new LongMemoryTask(1000, 500, 20, 2, 250, 0.008, 250);
  static final ModelConfig CONFIG =
      new ModelConfig(
          20,
          List.of(new LayerConfig(64, true, Math.exp(-1.0 / 500))),
          2,
          new Surrogate.FastSigmoid(10));
  static final InitScheme INIT = new InitScheme(100, 1, 2.5);
  static final int ITERATIONS = Integer.getInteger("rewind.iterations", 1500);

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
    assertTrue(accuracy < 0.75, "truncated BPTT test accuracy " + accuracy);
  }
}
