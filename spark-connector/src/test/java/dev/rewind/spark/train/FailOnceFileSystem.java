package dev.rewind.spark.train;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system under the scheme {@value #SCHEME}, for failure tests: the first write of a
 * spilled input chunk (a file under a directory named {@code input}) in this JVM fails, that is
 * mid-step, while the task's store holds other blobs; the task's retry writes it again. Register it
 * with {@code spark.hadoop.fs.failonce.impl} and use {@code failonce:///dir} as the off-chip
 * location; main code knows nothing of it.
 */
public final class FailOnceFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "failonce";
  private static final AtomicInteger INJECTED = new AtomicInteger();

  /** How many writes failed on purpose in this JVM. */
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
    // Whichever thread writes (the task, or its store's write-behind thread), the first spill of
    // an input chunk fails, once per JVM: the store is then mid-step, holding the task's blobs.
    if (f.getParent() != null
        && f.getParent().getName().equals("input")
        && INJECTED.compareAndSet(0, 1)) {
      throw new IOException("injected failure writing " + f);
    }
    return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
  }
}
