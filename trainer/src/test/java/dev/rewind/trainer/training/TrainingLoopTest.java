package dev.rewind.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.LossResult;
import dev.rewind.trainer.data.EventFrames;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.data.LongMemoryTask;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.Surrogate;
import dev.rewind.trainer.optim.AdamConfig;
import dev.rewind.trainer.optim.LearningRatePolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingLoopTest {
  private static final LongMemoryTask TASK = new LongMemoryTask(60, 10, 20, 2, 20, 0.02, 20);
  private static final ModelConfig MODEL =
      new ModelConfig(20, List.of(new LayerConfig(32, true)), 2, new Surrogate.FastSigmoid(10.0));

  private static TrainingConfig config(int epochs) {
    return new TrainingConfig(
        epochs, 8, AdamConfig.defaults(0.02), new LearningRatePolicy.Constant(), 1.0, 0);
  }

  @Test
  void trainingLowersTheTrainingLossAndReportsEveryEpochAndStep() {
    List<EventFrames> train = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      train.add(TASK.generate(8, 100 + i));
    }
    Parameters p = Parameters.initialise(MODEL, 3, InitScheme.DEFAULT);
    List<Integer> steps = new ArrayList<>();
    List<EpochResult> results =
        new TrainingLoop(config(40), GradientFunction.storeAll(MODEL, 8))
            .train(
                p,
                train,
                List.of(TASK.generate(8, 999)),
                new TrainingListener() {
                  @Override
                  public void onStep(StepMetrics m) {
                    steps.add(m.step());
                  }
                });
    assertEquals(40, results.size());
    assertEquals(80, steps.size());
    double first = results.get(0).trainLoss();
    double last = results.get(results.size() - 1).trainLoss();
    assertTrue(last < 0.5 * first, "train loss " + first + " -> " + last);
  }

  @Test
  void aNonFiniteGradientFailsWithoutTouchingTheParameters() {
    Parameters p = Parameters.initialise(MODEL, 3, InitScheme.DEFAULT);
    float[] before = p.data().clone();
    GradientFunction poisoned =
        new GradientFunction() {
          @Override
          public BpttResult gradient(Parameters parameters, FrameSource batch) {
            LossResult r = GradientFunction.storeAll(MODEL, 8).evaluate(parameters, batch);
            float[] g = new float[parameters.data().length];
            g[5] = Float.NaN;
            return new BpttResult(r, g);
          }

          @Override
          public LossResult evaluate(Parameters parameters, FrameSource batch) {
            return GradientFunction.storeAll(MODEL, 8).evaluate(parameters, batch);
          }
        };
    TrainingConfig noClip =
        new TrainingConfig(
            1, 8, AdamConfig.defaults(0.01), new LearningRatePolicy.Constant(), 0, 0);
    TrainingConfig clipped =
        new TrainingConfig(
            1, 8, AdamConfig.defaults(0.01), new LearningRatePolicy.Constant(), 1.0, 0);
    for (TrainingConfig config : List.of(noClip, clipped)) {
      var e =
          assertThrows(
              ArithmeticException.class,
              () ->
                  new TrainingLoop(config, poisoned)
                      .train(p, List.of(TASK.generate(8, 1)), List.of(), TrainingListener.NONE));
      assertTrue(
          e.getMessage()
              .startsWith("epoch 1, step 1: expected a finite gradient, got NaN at W1[5]"),
          e.getMessage());
      assertTrue(e.getMessage().contains("clip"), e.getMessage());
      assertArrayEquals(before, p.data());
    }
  }

  @Test
  void noTrainingBatchesIsAnError() {
    Parameters p = Parameters.initialise(MODEL, 3, InitScheme.DEFAULT);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new TrainingLoop(config(1), GradientFunction.storeAll(MODEL, 8))
                .train(p, List.of(), List.of(), TrainingListener.NONE));
  }
}
