package dev.rewind.spark.internal.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TaskCpusTest {
  @Test
  void readsAWholeNumberOfCores() {
    assertEquals(1, TaskCpus.parse("1"));
    assertEquals(4, TaskCpus.parse(" 4 "));
  }

  @Test
  void namesTheKeyAndTheValueItCannotUse() {
    for (String bad : new String[] {"0", "-2", "two", "1.5"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> TaskCpus.parse(bad));
      assertTrue(e.getMessage().contains("spark.task.cpus"), e.getMessage());
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }
}
