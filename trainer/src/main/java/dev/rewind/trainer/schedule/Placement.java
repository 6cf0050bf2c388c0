package dev.rewind.trainer.schedule;

/**
 * Where a saved state lives. {@link #MEMORY} is the executor's heap: a limited number of state
 * slots, cheap to access. {@link #SLOW} is off-chip storage (local disk, HDFS): unbounded for the
 * planner, with a write and a read cost per state given by the {@link CostModel}.
 */
public enum Placement {
  MEMORY,
  SLOW
}
