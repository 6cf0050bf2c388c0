package dev.rewind.trainer.schedule;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OverheadTableTest {

  @Test
  void listsEveryFittingKindAndMarksTheChoice() {
    String table =
        OverheadTable.render(TestCosts.plausible(), MemoryBudget.parse("8m"), 1_000, 10_000);
    for (String kind : new String[] {"periodic(", "remote(", "revolve(", "double(", "two-level("}) {
      assertTrue(table.contains(kind), kind + " missing from\n" + table);
    }
    assertTrue(table.contains("<- auto"), table);
  }
}
