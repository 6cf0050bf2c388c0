package dev.rewind.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

  @Test
  void constantIsOne() {
    assertEquals(1.0, LearningRateSchedule.constant().factor(0));
    assertEquals(1.0, LearningRateSchedule.constant().factor(1_000_000_000L));
  }

  @Test
  void stepDecayDropsEveryPeriod() {
    LearningRateSchedule s = new LearningRateSchedule.StepDecay(10, 0.5);
    assertEquals(1.0, s.factor(0));
    assertEquals(1.0, s.factor(9));
    assertEquals(0.5, s.factor(10));
    assertEquals(0.25, s.factor(25));
  }

  @Test
  void cosineWarmsUpLinearlyThenDecaysToMinimum() {
    LearningRateSchedule s = new LearningRateSchedule.CosineWithWarmup(4, 14, 0.0);
    assertEquals(0.25, s.factor(0));
    assertEquals(0.5, s.factor(1));
    assertEquals(1.0, s.factor(3));
    assertEquals(1.0, s.factor(4));
    assertEquals(0.5, s.factor(9), 1e-15);
    assertEquals(0.0, s.factor(14), 1e-15);
    assertEquals(0.0, s.factor(1000), 1e-15);

    LearningRateSchedule floor = new LearningRateSchedule.CosineWithWarmup(0, 10, 0.1);
    assertEquals(1.0, floor.factor(0));
    assertEquals(0.55, floor.factor(5), 1e-15);
    assertEquals(0.1, floor.factor(10), 1e-15);
  }

  @Test
  void isAPureFunctionOfTheStep() {
    LearningRateSchedule s = new LearningRateSchedule.CosineWithWarmup(3, 50, 0.05);
    for (long t = 60; t >= 0; t--) {
      assertEquals(s.factor(t), new LearningRateSchedule.CosineWithWarmup(3, 50, 0.05).factor(t));
    }
  }

  @Test
  void settingsAreValidated() {
    assertEquals(
        "stepSize: expected >= 1, got 0",
        assertThrows(
                IllegalArgumentException.class, () -> new LearningRateSchedule.StepDecay(0, 0.5))
            .getMessage());
    assertEquals(
        "gamma: expected a value in (0, 1], got 1.5",
        assertThrows(
                IllegalArgumentException.class, () -> new LearningRateSchedule.StepDecay(1, 1.5))
            .getMessage());
    assertEquals(
        "totalSteps: expected > warmupSteps (10), got 10",
        assertThrows(
                IllegalArgumentException.class,
                () -> new LearningRateSchedule.CosineWithWarmup(10, 10, 0))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new LearningRateSchedule.CosineWithWarmup(-1, 10, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LearningRateSchedule.CosineWithWarmup(0, 10, Double.NaN));
    assertEquals(
        "step: expected >= 0, got -1",
        assertThrows(
                IllegalArgumentException.class, () -> LearningRateSchedule.constant().factor(-1))
            .getMessage());
  }
}
