package dev.rewind.storage.tier;

import dev.rewind.storage.BlobNotFoundException;
import dev.rewind.storage.TierMetrics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Images as files under a local directory (on Spark, one of the executor's local dirs).
 *
 * <p>A write goes to a hidden temporary file and is renamed atomically onto its final name, so a
 * crash never leaves a partial blob under a key. The temporary file is a new one in the target
 * directory or, when there is one, the file of a deleted blob: deletes move this tier's files into
 * a hidden directory of the root (up to a byte budget) for writes to overwrite, which spares the
 * file system a new file's block and page allocation. A file being read is never recycled. Files
 * are created {@code rw-------} and directories {@code rwx------} where the file system supports
 * POSIX permissions. With {@code fsync} the data is forced to the device before the rename. Reads
 * go into pooled direct buffers when the caller takes the image as a buffer.
 */
public final class LocalDiskTier implements Tier {
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwx------");

  /** Deleted files kept for reuse by default: enough for a few hundred MiB of checkpoints. */
  public static final long DEFAULT_RECYCLE_BYTES = 256L << 20;

  private final Path root;
  private final boolean fsync;
  private final boolean posix;
  private final FileLedger<Path> ledger;
  private final TierCounters counters = new TierCounters();
  private final DirectBufferPool buffers;
  private final RecycledFiles recycled;

  /** Paths being read now, with their reader counts: their files are never recycled. */
  private final ConcurrentHashMap<String, Integer> reading = new ConcurrentHashMap<>();

  private volatile boolean closed;

  public LocalDiskTier(Path root, boolean fsync) throws IOException {
    this(root, fsync, DEFAULT_RECYCLE_BYTES);
  }

  /**
   * A tier that keeps up to {@code recycleBytes} of deleted blob files for later writes to
   * overwrite (0: delete them at once). They are removed at close.
   */
  public LocalDiskTier(Path root, boolean fsync, long recycleBytes) throws IOException {
    this(root, fsync, recycleBytes, DirectBufferPool.SHARED);
  }

  /** As the public constructors, with its own read buffers. */
  LocalDiskTier(Path root, boolean fsync, long recycleBytes, DirectBufferPool buffers)
      throws IOException {
    if (root == null) {
      throw new IllegalArgumentException("local disk tier: expected a root directory, got null");
    }
    if (recycleBytes < 0) {
      throw new IllegalArgumentException(
          "local disk tier: expected recycleBytes >= 0, got " + recycleBytes);
    }
    this.root = root.toAbsolutePath().normalize();
    this.fsync = fsync;
    this.buffers = buffers;
    this.posix = this.root.getFileSystem().supportedFileAttributeViews().contains("posix");
    this.ledger = new FileLedger<>(new LocalFiles(posix));
    this.recycled =
        new RecycledFiles(
            this.root.resolve(
                ".recycled-" + Long.toHexString(ThreadLocalRandom.current().nextLong())),
            recycleBytes,
            posix ? FILE_MODE : null);
    ledger.ensureDirectory(this.root);
  }

  public Path root() {
    return root;
  }

  @Override
  public String name() {
    return "local:" + root;
  }

  @Override
  public void write(String path, byte[] image) throws IOException {
    ensureOpen();
    writeImage(path, ByteBuffer.wrap(image));
  }

  /** Fills a pooled direct buffer and writes it: no array, no copy through a JDK buffer. */
  @Override
  public void write(String path, int length, ImageWriter writer) throws IOException {
    ensureOpen();
    if (!buffers.writeThrough(path, length, writer, image -> writeImage(path, image))) {
      Tier.super.write(path, length, writer);
    }
  }

  /** Publishes the image from the buffer's position to its limit under {@code path}. */
  private void writeImage(String path, ByteBuffer image) throws IOException {
    int length = image.remaining();
    Path target = resolve(path);
    long start = System.nanoTime();
    ledger.ensureDirectory(target.getParent());
    RecycledFiles.Taken reused = recycled.take();
    Path temporary =
        reused != null
            ? reused.file()
            : target.resolveSibling(TierPaths.temporaryName(target.getFileName().toString()));
    try {
      try (FileChannel channel =
          reused != null
              ? FileChannel.open(temporary, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)
              : createFile(temporary)) {
        while (image.hasRemaining()) {
          channel.write(image);
        }
        if (reused != null && reused.size() > length) {
          channel.truncate(length);
        }
        if (fsync) {
          channel.force(false);
        }
      }
      publish(temporary, target);
    } catch (IOException | RuntimeException e) {
      throw ledger.writeFailed("local disk", target, temporary, e);
    }
    ledger.published(path);
    counters.wrote(length, System.nanoTime() - start);
  }

  @Override
  public byte[] read(String path) throws IOException {
    ensureOpen();
    long start = System.nanoTime();
    ByteBuffer buffer;
    reading.merge(path, 1, Integer::sum);
    try {
      buffer = load(path, false);
    } finally {
      doneReading(path);
    }
    byte[] image = buffer.array();
    if (buffer.limit() < image.length) {
      image = Arrays.copyOf(image, buffer.limit());
    }
    counters.read(image.length, System.nanoTime() - start);
    return image;
  }

  /** Reads into a pooled direct buffer (one copy from the page cache) and lends it to reader. */
  @Override
  public <T> T read(String path, ImageReader<T> reader) throws IOException {
    ensureOpen();
    long start = System.nanoTime();
    reading.merge(path, 1, Integer::sum);
    try {
      ByteBuffer buffer = load(path, true);
      counters.read(buffer.limit(), System.nanoTime() - start);
      try {
        return reader.read(buffer);
      } finally {
        if (buffer.isDirect()) {
          buffers.give(buffer);
        }
      }
    } finally {
      doneReading(path);
    }
  }

  /**
   * The file's bytes from index 0 to the limit (fewer than its size if it shrank meanwhile): in a
   * pooled direct buffer when {@code pooled} and it fits one, else in a heap buffer.
   */
  private ByteBuffer load(String path, boolean pooled) throws IOException {
    Path target = resolve(path);
    try (FileChannel channel = FileChannel.open(target, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > Integer.MAX_VALUE - 16) {
        throw new IOException("file too large for a blob: " + target + " has " + size + " bytes");
      }
      ByteBuffer buffer =
          pooled && size <= buffers.maxBufferBytes()
              ? buffers.take((int) size)
              : ByteBuffer.allocate((int) size);
      int n = 0;
      while (buffer.hasRemaining() && n >= 0) {
        n = channel.read(buffer);
      }
      return buffer.flip();
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(location(path));
    }
  }

  private void doneReading(String path) {
    reading.computeIfPresent(path, (p, readers) -> readers == 1 ? null : readers - 1);
  }

  /** Moves the file of a blob this tier wrote into the recycled files, else deletes it. */
  @Override
  public boolean delete(String path) throws IOException {
    ensureOpen();
    Path target = resolve(path);
    if (!recycled.enabled() || !ledger.isPublished(path)) {
      boolean deleted = Files.deleteIfExists(target);
      ledger.removed(path);
      return deleted;
    }
    ledger.ensureDirectory(recycled.dir());
    Path moved = recycled.moveIn(target);
    ledger.removed(path);
    if (moved == null) {
      return false;
    }
    // A reader that opened the file before the move may still be reading it: no overwriting then.
    if (reading.containsKey(path)) {
      recycled.discard(moved);
    } else {
      recycled.keep(moved);
    }
    return true;
  }

  @Override
  public boolean exists(String path) {
    ensureOpen();
    return Files.isRegularFile(resolve(path));
  }

  @Override
  public String location(String path) {
    return root.resolve(path).toString();
  }

  @Override
  public List<TierMetrics> metrics() {
    return List.of(counters.snapshot(name(), TierMetrics.Role.STORAGE));
  }

  /** Deletes every file this tier wrote and every directory it created that is now empty. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    ledger.removeAll(root::resolve, recycled::clear);
  }

  private Path resolve(String path) {
    Path resolved = root.resolve(TierPaths.check(path)).normalize();
    if (!resolved.startsWith(root) || resolved.equals(root)) {
      throw new IllegalArgumentException(
          "blob path: expected a path under " + root + ", got \"" + path + "\"");
    }
    return resolved;
  }

  /** Deleted files kept for reuse, for tests. */
  int recycledFiles() {
    return recycled.idleCount();
  }

  /** Renames a finished temporary file onto its key's name. */
  private void publish(Path temporary, Path target) throws IOException {
    try {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      if (Files.isDirectory(target.getParent())) {
        throw e;
      }
      // A store sharing this root removed the directory when it was empty: create it again.
      ledger.forgetDirectory(target.getParent());
      ledger.ensureDirectory(target.getParent());
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private FileChannel createFile(Path file) throws IOException {
    try {
      return openNew(file);
    } catch (NoSuchFileException e) {
      // A store sharing this root removed the directory when it was empty: create it again.
      ledger.forgetDirectory(file.getParent());
      ledger.ensureDirectory(file.getParent());
      return openNew(file);
    }
  }

  private FileChannel openNew(Path file) throws IOException {
    Set<StandardOpenOption> options =
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    if (posix) {
      FileAttribute<Set<PosixFilePermission>> mode =
          PosixFilePermissions.asFileAttribute(FILE_MODE);
      return FileChannel.open(file, options, mode);
    }
    return FileChannel.open(file, options);
  }

  /** The local file system as the ledger uses it, owner-only where POSIX permissions exist. */
  private record LocalFiles(boolean posix) implements FileLedger.FileOps<Path> {
    @Override
    public boolean isDirectory(Path path) {
      return Files.isDirectory(path);
    }

    @Override
    public Path parent(Path path) {
      return path.getParent();
    }

    @Override
    public int depth(Path path) {
      return path.getNameCount();
    }

    @Override
    public boolean createDirectory(Path dir) throws IOException {
      try {
        Files.createDirectory(dir);
        if (posix) {
          Files.setPosixFilePermissions(dir, DIR_MODE);
        }
        return true;
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(dir)) {
          throw new IOException("expected a directory at " + dir + ", found a file", e);
        }
        return false;
      }
    }

    @Override
    public void deleteFile(Path file) throws IOException {
      Files.deleteIfExists(file);
    }

    @Override
    public void deleteIfEmpty(Path dir) throws IOException {
      try {
        Files.deleteIfExists(dir);
      } catch (DirectoryNotEmptyException e) {
        // Someone else's files live here too; leave the directory to them.
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("local disk tier " + root + " is closed");
    }
  }
}
