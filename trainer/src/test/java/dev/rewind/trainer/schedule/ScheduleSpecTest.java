package dev.rewind.trainer.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleSpecTest {

  private static final CostModel COST = TestCosts.plausible();

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "store-all; store-all",
        "periodic:k=100; periodic(k=100)",
        "revolve:slots=10; revolve(slots=10)",
        "remote:k=100; remote(k=100)",
        "double:K=1000,k=32; double(K=1000,k=32)",
        " double:k=32,K=1000 ; double(K=1000,k=32)",
        "two-level:slots=10; two-level(slots=10,tape=1,max-period=512)",
        "two-level:slots=3,tape=8,max-period=64; two-level(slots=3,tape=8,max-period=64)"
      })
  void parsesEveryForm(String text, String description) {
    Schedule schedule = ScheduleSpec.parse(text).plan(5000, COST, MemoryBudget.UNLIMITED);
    assertTrue(
        schedule.description().startsWith(description), schedule.description() + " for " + text);
    assertEquals(5000, schedule.steps());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "storeall",
        "periodic",
        "periodic:k=",
        "periodic:k=abc",
        "periodic:k=0",
        "periodic:n=10",
        "periodic:k=10,k=20",
        "double:K=10",
        "double:K=10,k=20",
        "revolve:slots=-1",
        "two-level:tape=3",
        "two-level:slots=3,max-period=0",
        "auto:k=1",
        "remote:k=1,"
      })
  void rejectsBadSpecsWithAMessage(String text) {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> ScheduleSpec.parse(text));
    assertTrue(error.getMessage().length() > 20, error.getMessage());
  }

  @Test
  void unknownNameListsTheForms() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> ScheduleSpec.parse("binomial:s=3"));
    assertTrue(error.getMessage().contains("unknown schedule 'binomial'"), error.getMessage());
    assertTrue(error.getMessage().contains("revolve:slots=N"), error.getMessage());
  }

  @Test
  void refusesASpecThatDoesNotFitTheBudget() {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> ScheduleSpec.parse("store-all").plan(100_000, COST, MemoryBudget.parse("64m")));
    assertTrue(error.getMessage().startsWith("store-all needs"), error.getMessage());
  }

  @Test
  void parsesMemoryBudgets() {
    assertEquals(512L << 20, MemoryBudget.parse("512m").bytes());
    assertEquals(512L << 20, MemoryBudget.parse("512M").bytes());
    assertEquals(2L << 30, MemoryBudget.parse("2g").bytes());
    assertEquals(64L << 10, MemoryBudget.parse("64k").bytes());
    assertEquals(1048576, MemoryBudget.parse("1048576").bytes());
    assertEquals(1L << 40, MemoryBudget.parse("1t").bytes());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "m", "512x", "-5m", "0", "1.5g", "99999999999999999999", "9000000t"})
  void rejectsBadBudgets(String text) {
    assertThrows(IllegalArgumentException.class, () -> MemoryBudget.parse(text));
  }
}
