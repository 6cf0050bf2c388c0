package dev.rewind.storage.tier;

import dev.rewind.storage.BlobNotFoundException;
import dev.rewind.storage.TierMetrics;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Images as files under a root in any Hadoop FileSystem ({@code hdfs://}, {@code file://}, ...).
 *
 * <p>The Configuration is the caller's; the tier opens its own FileSystem instance with it ({@code
 * FileSystem.newInstance}, so closing it never disturbs the shared cache) and closes it on {@link
 * #close()}. Writes go to a hidden temporary file and are renamed onto the final name. Where the
 * FileSystem cannot rename over an existing file (HDFS), replacing a blob deletes the old file
 * first: a crash in between leaves no blob under the key, never a partial one. Files are created
 * with permission 600, directories 700. Hadoop's own checksum files are turned off: the blob
 * footer's CRC32C covers the data.
 */
public final class HadoopTier implements Tier {

  private final FileSystem fs;
  private final Path root;
  private final boolean sync;
  private final FileLedger<Path> ledger;
  private final TierCounters counters = new TierCounters();
  private volatile boolean closed;

  /**
   * @param root the root directory, e.g. {@code hdfs://nn:8020/tmp/rewind}
   * @param conf the caller's Hadoop configuration
   * @param sync whether to {@code hsync} every file before publishing it
   */
  public HadoopTier(URI root, Configuration conf, boolean sync) throws IOException {
    if (root == null || conf == null) {
      throw new IllegalArgumentException(
          "hadoop tier: expected a root URI and a Configuration, got " + root + ", " + conf);
    }
    this.fs = OwnFileSystem.open(root, conf);
    Path qualified = OwnFileSystem.qualifiedRoot(fs, root);
    this.root = qualified;
    this.sync = sync;
    this.ledger = new FileLedger<>(new HadoopFiles(fs));
    OwnFileSystem.closeOnFailure(fs, () -> ledger.ensureDirectory(qualified));
  }

  @Override
  public String name() {
    return "hadoop:" + root;
  }

  @Override
  public void write(String path, byte[] image) throws IOException {
    ensureOpen();
    Path target = resolve(path);
    long start = System.nanoTime();
    ledger.ensureDirectory(target.getParent());
    Path temporary = new Path(target.getParent(), TierPaths.temporaryName(target.getName()));
    try {
      try (FSDataOutputStream out = OwnFileSystem.createPrivate(fs, temporary)) {
        out.write(image);
        if (sync) {
          out.hsync();
        }
      }
      OwnFileSystem.renameOver(fs, temporary, target);
    } catch (IOException | RuntimeException | FSError e) {
      throw ledger.writeFailed("file system", target, temporary, e);
    }
    ledger.published(path);
    counters.wrote(image.length, System.nanoTime() - start);
  }

  @Override
  public byte[] read(String path) throws IOException {
    ensureOpen();
    Path target = resolve(path);
    long start = System.nanoTime();
    byte[] image;
    try (FSDataInputStream in = fs.open(target)) {
      long size = fs.getFileStatus(target).getLen();
      if (size > Integer.MAX_VALUE - 16) {
        throw new IOException("file too large for a blob: " + target + " has " + size + " bytes");
      }
      image = new byte[(int) size];
      int filled = 0;
      int n = 0;
      while (filled < image.length && n >= 0) {
        n = in.read(image, filled, image.length - filled);
        filled += Math.max(n, 0);
      }
      if (filled < image.length) {
        image = Arrays.copyOf(image, filled);
      }
    } catch (FileNotFoundException e) {
      throw new BlobNotFoundException(location(path));
    }
    counters.read(image.length, System.nanoTime() - start);
    return image;
  }

  @Override
  public boolean delete(String path) throws IOException {
    ensureOpen();
    boolean deleted = fs.delete(resolve(path), false);
    ledger.removed(path);
    return deleted;
  }

  @Override
  public boolean exists(String path) throws IOException {
    ensureOpen();
    try {
      return fs.getFileStatus(resolve(path)).isFile();
    } catch (FileNotFoundException e) {
      return false;
    }
  }

  @Override
  public String location(String path) {
    return new Path(root, path).toString();
  }

  @Override
  public List<TierMetrics> metrics() {
    return List.of(counters.snapshot(name(), TierMetrics.Role.STORAGE));
  }

  /** Deletes what this tier wrote and the directories it created, then closes its FileSystem. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      ledger.removeAll(path -> new Path(root, path), () -> null);
    } finally {
      fs.close();
    }
  }

  private Path resolve(String path) {
    Path resolved = new Path(root, TierPaths.check(path));
    String rootText = root.toUri().getPath();
    if (!resolved.toUri().getPath().startsWith(rootText + "/")) {
      throw new IllegalArgumentException(
          "blob path: expected a path under " + root + ", got \"" + path + "\"");
    }
    return resolved;
  }

  /** A Hadoop file system as the ledger uses it, owner-only. */
  private record HadoopFiles(FileSystem fs) implements FileLedger.FileOps<Path> {
    @Override
    public boolean isDirectory(Path path) throws IOException {
      try {
        return fs.getFileStatus(path).isDirectory();
      } catch (FileNotFoundException e) {
        return false;
      }
    }

    @Override
    public Path parent(Path path) {
      return path.getParent();
    }

    @Override
    public int depth(Path path) {
      return path.depth();
    }

    @Override
    public boolean createDirectory(Path dir) throws IOException {
      OwnFileSystem.mkdirs(fs, dir);
      return true;
    }

    @Override
    public void deleteFile(Path file) throws IOException {
      fs.delete(file, false);
    }

    /**
     * Removes a directory this tier created unless something else lives there now. Tiers of other
     * tasks may share it (a common root): one of them may have removed it already, or put a file in
     * it since it was listed; neither is an error.
     */
    @Override
    public void deleteIfEmpty(Path dir) throws IOException {
      try {
        if (fs.listStatus(dir).length == 0) {
          fs.delete(dir, false);
        }
      } catch (FileNotFoundException e) {
        // removed by another tier
      } catch (IOException e) {
        // HDFS and the local FileSystem refuse a non-recursive delete of a directory that has
        // been filled meanwhile, with different exceptions: only a failure on an empty one counts
        if (isEmptyDirectory(dir)) {
          throw e;
        }
      }
    }

    private boolean isEmptyDirectory(Path dir) throws IOException {
      try {
        return fs.listStatus(dir).length == 0;
      } catch (FileNotFoundException e) {
        return false;
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("hadoop tier " + root + " is closed");
    }
  }
}
