package dev.rewind.spark.internal.train;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Surfaces the error of an asynchronous Spark job as a synchronous action would throw it. */
final class JobFailures {
  private JobFailures() {}

  /** Returns when {@code job} (done) succeeded; otherwise throws what made it fail. */
  static void rethrow(Future<?> job) {
    try {
      job.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } catch (CancellationException e) {
      throw new IllegalStateException("multi-step job cancelled", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for a multi-step job", e);
    }
  }
}
