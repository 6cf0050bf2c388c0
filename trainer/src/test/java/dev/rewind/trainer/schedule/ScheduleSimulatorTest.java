package dev.rewind.trainer.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleSimulatorTest {

  private static final CostModel COST = TestCosts.unit();

  @Test
  void rejectsALoadOfAnUnsavedState() {
    assertInvalid(
        "never saved",
        new Action.Advance(0, 4, false),
        new Action.EndForward(),
        new Action.Load(2, Placement.MEMORY));
  }

  @Test
  void rejectsAReverseOfUntapedSteps() {
    assertInvalid(
        "not all on the tape",
        new Action.Advance(0, 2, false),
        new Action.Advance(2, 4, true),
        new Action.EndForward(),
        new Action.Reverse(2, 4),
        new Action.Reverse(0, 2));
  }

  @Test
  void rejectsReversingOutOfOrder() {
    assertInvalid(
        "adjoint is at 4",
        new Action.Advance(0, 4, true),
        new Action.EndForward(),
        new Action.Reverse(0, 2));
  }

  @Test
  void rejectsAnAdvanceFromAStateThatIsNotCurrent() {
    assertInvalid("away from current", new Action.Advance(1, 4, true));
  }

  @Test
  void rejectsALoadDuringTheForwardSweep() {
    assertInvalid(
        "during the forward sweep",
        new Action.Save(0, Placement.SLOW),
        new Action.Advance(0, 2, false),
        new Action.Load(0, Placement.SLOW));
  }

  @Test
  void rejectsTapingTheSameStepTwice() {
    assertInvalid(
        "already on the tape",
        new Action.Save(0, Placement.MEMORY),
        new Action.Advance(0, 4, true),
        new Action.EndForward(),
        new Action.Load(0, Placement.MEMORY),
        new Action.Advance(0, 4, true));
  }

  @Test
  void rejectsLeftoverStatesAndUnreversedSteps() {
    assertInvalid(
        "memory still holds",
        new Action.Save(0, Placement.MEMORY),
        new Action.Advance(0, 4, true),
        new Action.EndForward(),
        new Action.Reverse(0, 4));
    assertInvalid(
        "never reversed",
        new Action.Advance(0, 4, true),
        new Action.EndForward(),
        new Action.Reverse(2, 4));
    assertInvalid("never ended", new Action.Advance(0, 4, true));
  }

  @Test
  void countsAValidHandWrittenSchedule() {
    ScheduleSimulator simulator = new ScheduleSimulator(4, COST);
    for (Action action :
        List.of(
            new Action.Save(0, Placement.SLOW),
            new Action.Advance(0, 2, false),
            new Action.Advance(2, 4, true),
            new Action.EndForward(),
            new Action.Reverse(2, 4),
            new Action.Load(0, Placement.SLOW),
            new Action.Free(0, Placement.SLOW),
            new Action.Advance(0, 2, true),
            new Action.Reverse(0, 2))) {
      simulator.accept(action);
    }
    SimulationReport report = simulator.finish();
    assertEquals(2, report.recomputedSteps());
    assertEquals(1, report.slowSaves());
    assertEquals(1, report.slowLoads());
    assertEquals(2, report.peakTapeSteps());
    // 2 untaped + 4 taped * 2 + 4 reversed * 3 + write 5 + read 4
    assertEquals(2 + 8 + 12 + 5 + 4, report.predictedSeconds());
  }

  private static void assertInvalid(String expectedProblem, Action... actions) {
    ScheduleSimulator simulator = new ScheduleSimulator(4, COST);
    InvalidScheduleException error =
        assertThrows(
            InvalidScheduleException.class,
            () -> {
              for (Action action : actions) {
                simulator.accept(action);
              }
              simulator.finish();
            });
    assertTrue(error.getMessage().contains(expectedProblem), error.getMessage());
  }
}
