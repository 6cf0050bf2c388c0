package dev.rewind.trainer.internal.runner;

/**
 * Tuning of a {@code CheckpointExecutor}; none of it changes a result, only memory, overlap and
 * speed.
 *
 * @param tapeChunkSteps most steps per tape chunk (the tape grows and shrinks by chunks)
 * @param lookaheadActions how many upcoming actions are scanned for slow-tier loads to read ahead
 * @param readAheadStates most slow-tier states announced for read-ahead at once (a write-behind
 *     store holds each, encoded, until it is loaded)
 * @param kernelThreads threads of the network's step kernels (the results are the same for any)
 */
public record ExecutorSettings(
    int tapeChunkSteps, int lookaheadActions, int readAheadStates, int kernelThreads) {

  /**
   * 128-step tape chunks, 256 actions of look-ahead, 2 states announced for read-ahead, kernels on
   * every available core.
   */
  public static final ExecutorSettings DEFAULT =
      new ExecutorSettings(128, 256, 2, Runtime.getRuntime().availableProcessors());

  public ExecutorSettings {
    positive("tapeChunkSteps", tapeChunkSteps);
    positive("lookaheadActions", lookaheadActions);
    if (readAheadStates < 0) {
      throw new IllegalArgumentException("readAheadStates: expected >= 0, got " + readAheadStates);
    }
    positive("kernelThreads", kernelThreads);
  }

  /** The same settings with the kernels on {@code threads} threads. */
  public ExecutorSettings withKernelThreads(int threads) {
    return new ExecutorSettings(tapeChunkSteps, lookaheadActions, readAheadStates, threads);
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + ": expected >= 1, got " + value);
    }
  }
}
