package dev.rewind.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

/** Measures the bytes the current thread allocates during optimizer steps. */
final class AllocationProbe {

  private AllocationProbe() {}

  static void assertStepDoesNotAllocate(OptimizerConfig config) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    int n = 4096;
    Optimizer optimizer =
        config.create(n, new LearningRateSchedule.CosineWithWarmup(10, 100_000, 0.0));
    float[] params = new float[n];
    float[] grad = new float[n];
    java.util.Arrays.fill(grad, 0.01f);
    for (int i = 0; i < 2_000; i++) {
      optimizer.step(params, grad);
    }
    long thread = Thread.currentThread().getId();
    int steps = 1_000;
    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < steps; i++) {
      optimizer.step(params, grad);
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    // Any per-step allocation costs at least 16 bytes a step; the probe itself may take a few.
    assertTrue(allocated < steps * 16L, "expected no allocation per step, got " + allocated + " B");
  }
}
