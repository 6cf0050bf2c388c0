package dev.rewind.spark.train;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.TaskContext;

/**
 * The local file system under the scheme {@value #SCHEME}, for failure tests: the first attempt of
 * partition 0 of any Spark stage fails when it reads back a spilled input chunk (a file under a
 * directory named {@code input}), that is mid-step, after it has written to the off-chip store.
 * Register it with {@code spark.hadoop.fs.failonce.impl} and use {@code failonce:///dir} as the
 * off-chip location; main code knows nothing of it.
 */
public final class FailingFirstAttemptFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "failonce";
  private static final AtomicInteger INJECTED = new AtomicInteger();

  /** How many reads failed on purpose in this JVM. */
  public static int injectedFailures() {
    return INJECTED.get();
  }

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    TaskContext context = TaskContext.get();
    if (context != null
        && context.attemptNumber() == 0
        && context.partitionId() == 0
        && f.getParent() != null
        && f.getParent().getName().equals("input")) {
      INJECTED.incrementAndGet();
      throw new IOException(
          "injected failure reading " + f + " in task attempt " + context.taskAttemptId());
    }
    return super.open(f, bufferSize);
  }
}
