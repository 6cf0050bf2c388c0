package dev.rewind.trainer.internal.runner;

import java.io.IOException;

/**
 * The time a caller spends inside a store's calls, which is the I/O it waited for (all of it for a
 * synchronous store, queue room and unfinished reads for a write-behind one). Not thread-safe.
 */
public final class BlockedTime {
  /** A store call that returns nothing. */
  @FunctionalInterface
  public interface Action {
    void run() throws IOException;
  }

  /** A store call that returns a value. */
  @FunctionalInterface
  public interface Call<T> {
    T call() throws IOException;
  }

  private long nanos;

  /** Runs {@code action}, counting its time, also when it fails. */
  public void run(Action action) throws IOException {
    long start = System.nanoTime();
    try {
      action.run();
    } finally {
      nanos += System.nanoTime() - start;
    }
  }

  /** Returns what {@code call} returns, counting its time, also when it fails. */
  public <T> T get(Call<T> call) throws IOException {
    long start = System.nanoTime();
    try {
      return call.call();
    } finally {
      nanos += System.nanoTime() - start;
    }
  }

  public long nanos() {
    return nanos;
  }
}
