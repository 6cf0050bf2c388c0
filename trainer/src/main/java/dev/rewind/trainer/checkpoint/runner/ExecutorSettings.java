package dev.rewind.trainer.checkpoint.runner;

/**
 * Tuning of a {@code CheckpointExecutor}; none of it changes a result, only memory, overlap and
 * speed.
 *
 * @param tapeChunkSteps most steps per tape chunk (the tape grows and shrinks by chunks)
 * @param lookaheadActions how many upcoming actions are scanned for slow-tier loads to read ahead
 * @param readAheadStates most slow-tier states read ahead at once (each takes a state's heap)
 * @param pendingWrites most slow-tier saves queued for writing behind at once
 * @param kernelThreads threads of the network's step kernels (the results are the same for any)
 */
public record ExecutorSettings(
    int tapeChunkSteps,
    int lookaheadActions,
    int readAheadStates,
    int pendingWrites,
    int kernelThreads) {

  /**
   * 128-step tape chunks, 256 actions of look-ahead, 2 states read ahead, 4 writes behind, kernels
   * on every available core.
   */
  public static final ExecutorSettings DEFAULT =
      new ExecutorSettings(128, 256, 2, 4, Runtime.getRuntime().availableProcessors());

  public ExecutorSettings {
    positive("tapeChunkSteps", tapeChunkSteps);
    positive("lookaheadActions", lookaheadActions);
    if (readAheadStates < 0) {
      throw new IllegalArgumentException("readAheadStates: expected >= 0, got " + readAheadStates);
    }
    positive("pendingWrites", pendingWrites);
    positive("kernelThreads", kernelThreads);
  }

  /** The same settings with the kernels on {@code threads} threads. */
  public ExecutorSettings withKernelThreads(int threads) {
    return new ExecutorSettings(
        tapeChunkSteps, lookaheadActions, readAheadStates, pendingWrites, threads);
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + ": expected >= 1, got " + value);
    }
  }
}
