package dev.rewind.spark.train;

import org.apache.spark.TaskContext;

/**
 * A test hook: with the system property {@value #PROPERTY} set to {@code true} in an executor, the
 * first attempt of partition 0 of every step fails right after it has trained a sequence and
 * spilled it off-chip, so that tests can check that a retry neither double-counts nor leaves files.
 */
final class FaultInjection {
  static final String PROPERTY = "rewind.test.failFirstAttempt";

  private FaultInjection() {}

  static void afterSequence(TaskContext context) {
    if (context != null
        && context.attemptNumber() == 0
        && context.partitionId() == 0
        && Boolean.getBoolean(PROPERTY)) {
      throw new IllegalStateException(
          "injected failure (" + PROPERTY + ") in task attempt " + context.taskAttemptId());
    }
  }
}
