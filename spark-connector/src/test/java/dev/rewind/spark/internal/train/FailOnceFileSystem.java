package dev.rewind.spark.internal.train;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;
import org.apache.spark.sql.SparkSession;

/**
 * The local file system under the scheme {@value #SCHEME}, for failure tests: the third blob
 * appended to an off-chip pack file in this JVM fails, that is mid-step, while the task's store
 * holds other blobs; the task's retry writes it again. Register it with {@link #registeredIn} (or
 * {@code spark.hadoop.fs.failonce.impl}) and use {@code failonce:///dir} as the off-chip location;
 * main code knows nothing of it.
 */
public final class FailOnceFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "failonce";
  private static final AtomicInteger INJECTED = new AtomicInteger();
  private static final AtomicInteger APPENDS = new AtomicInteger();

  private static final AtomicBoolean ARMED = new AtomicBoolean(true);

  /** {@code builder} with this file system registered under {@value #SCHEME}. */
  public static SparkSession.Builder registeredIn(SparkSession.Builder builder) {
    return builder.config(
        "spark.hadoop.fs." + SCHEME + ".impl", FailOnceFileSystem.class.getName());
  }

  /** Arms the failure again: the third blob appended from now on fails. */
  public static void rearm() {
    APPENDS.set(0);
    INJECTED.set(0);
    ARMED.set(true);
  }

  /** No append fails until {@link #rearm}. */
  public static void disarm() {
    ARMED.set(false);
  }

  /** How many writes failed on purpose in this JVM since {@link #rearm}. */
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
  public FSDataOutputStream create(
      Path f,
      FsPermission permission,
      boolean overwrite,
      int bufferSize,
      short replication,
      long blockSize,
      Progressable progress)
      throws IOException {
    FSDataOutputStream out =
        super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
    if (!f.getName().startsWith("pack-")) {
      return out;
    }
    // Whichever thread writes (the task, or its store's write-behind thread), the third blob
    // appended to a pack in this JVM fails, once: the store is then mid-step, holding blobs.
    OutputStream failing =
        new FilterOutputStream(out) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            if (ARMED.get() && APPENDS.incrementAndGet() == 3 && INJECTED.compareAndSet(0, 1)) {
              throw new IOException("injected failure appending to " + f);
            }
            out.write(b, off, len);
          }
        };
    return new FSDataOutputStream(failing, null);
  }
}
