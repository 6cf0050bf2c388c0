package dev.rewind.storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * A local file system ({@code fullfs:///}) whose device holds only {@code fullfs.capacity} bytes: a
 * write past it fails midway with "No space left on device", as a full disk does.
 */
public final class FullDiskFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "fullfs";
  public static final String CAPACITY = "fullfs.capacity";

  private final AtomicLong written = new AtomicLong();

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
    long capacity = getConf().getLong(CAPACITY, Long.MAX_VALUE);
    FSDataOutputStream out =
        super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
    OutputStream limited =
        new FilterOutputStream(out) {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            long room = capacity - written.get();
            if (len > room) {
              out.write(b, off, (int) Math.max(room, 0));
              written.addAndGet(Math.max(room, 0));
              throw new IOException("No space left on device");
            }
            out.write(b, off, len);
            written.addAndGet(len);
          }
        };
    return new FSDataOutputStream(limited, null);
  }
}
