package dev.rewind.storage.tier;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * What the Hadoop tiers share: a tier's own FileSystem instance ({@code FileSystem.newInstance}, so
 * closing it never disturbs the shared cache) with Hadoop's checksum files turned off (the blob
 * footer's CRC32C covers the data), files created with permission 600 and directories 700.
 */
final class OwnFileSystem {
  static final int BUFFER = 1 << 16;
  private static final FsPermission FILE_MODE = new FsPermission((short) 0600);
  private static final FsPermission DIR_MODE = new FsPermission((short) 0700);

  /** A step of a tier's setup that may fail. */
  @FunctionalInterface
  interface Setup {
    void run() throws IOException;
  }

  private OwnFileSystem() {}

  /** Opens the tier's own instance for {@code root}. */
  static FileSystem open(URI root, Configuration conf) throws IOException {
    FileSystem fs = FileSystem.newInstance(root, conf);
    fs.setVerifyChecksum(false);
    fs.setWriteChecksum(false);
    return fs;
  }

  /**
   * Runs {@code setup}, closing {@code fs} if it fails, so a tier that fails to open leaks none.
   */
  static void closeOnFailure(FileSystem fs, Setup setup) throws IOException {
    try {
      setup.run();
    } catch (IOException | RuntimeException e) {
      fs.close();
      throw e;
    }
  }

  /** Through the string form, which Hadoop normalises: "file:/x/" and "file:/x" name one root. */
  static Path qualifiedRoot(FileSystem fs, URI root) {
    return fs.makeQualified(new Path(root.toString()));
  }

  /** Creates a new file readable by its owner only; fails if it exists. */
  static FSDataOutputStream createPrivate(FileSystem fs, Path path) throws IOException {
    return fs.create(
        path,
        FILE_MODE,
        false,
        BUFFER,
        fs.getDefaultReplication(path),
        fs.getDefaultBlockSize(path),
        null);
  }

  /** Creates {@code dir} and its parents with mode 700. */
  static void mkdirs(FileSystem fs, Path dir) throws IOException {
    if (!fs.mkdirs(dir, DIR_MODE)) {
      throw new IOException("could not create directory " + dir);
    }
    // mkdirs applies the umask; the mode must hold as given
    fs.setPermission(dir, DIR_MODE);
  }

  /**
   * Renames {@code temporary} onto {@code target}, replacing a file there: HDFS does not rename
   * over one, so it is deleted first when the plain rename fails.
   */
  static void renameOver(FileSystem fs, Path temporary, Path target) throws IOException {
    if (fs.rename(temporary, target)) {
      return;
    }
    if (fs.exists(target)) {
      fs.delete(target, false);
      if (fs.rename(temporary, target)) {
        return;
      }
    }
    throw new IOException("rename of " + temporary + " to " + target + " failed");
  }

  /**
   * Hadoop's local file system reports a failed write or read as {@link FSError}, an {@link Error};
   * as an IOException it gets the handling (a truncated tail, {@code StoreFullException}) every
   * other file system's failure gets.
   */
  static IOException asIoException(Path path, FSError e) {
    return new IOException(path + ": " + e.getCause(), e.getCause() != null ? e.getCause() : e);
  }
}
