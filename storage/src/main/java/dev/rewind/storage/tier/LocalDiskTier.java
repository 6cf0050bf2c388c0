package dev.rewind.storage.tier;

import dev.rewind.storage.BlobNotFoundException;
import dev.rewind.storage.StoreFullException;
import dev.rewind.storage.TierMetrics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Images as files under a local directory (on Spark, one of the executor's local dirs).
 *
 * <p>A write goes to a hidden temporary file in the target directory and is renamed atomically onto
 * its final name, so a crash never leaves a partial blob under a key. Files are created {@code
 * rw-------} and directories {@code rwx------} where the file system supports POSIX permissions.
 * With {@code fsync} the data is forced to the device before the rename.
 */
public final class LocalDiskTier implements Tier {
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwx------");

  private final Path root;
  private final boolean fsync;
  private final boolean posix;
  private final Set<String> written = ConcurrentHashMap.newKeySet();
  private final Set<Path> createdDirs = ConcurrentHashMap.newKeySet();
  private final Set<Path> knownDirs = ConcurrentHashMap.newKeySet();
  private final TierCounters counters = new TierCounters();
  private volatile boolean closed;

  public LocalDiskTier(Path root, boolean fsync) throws IOException {
    if (root == null) {
      throw new IllegalArgumentException("local disk tier: expected a root directory, got null");
    }
    this.root = root.toAbsolutePath().normalize();
    this.fsync = fsync;
    this.posix = this.root.getFileSystem().supportedFileAttributeViews().contains("posix");
    ensureDirectory(this.root);
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
    Path target = resolve(path);
    long start = System.nanoTime();
    ensureDirectory(target.getParent());
    Path temporary =
        target.resolveSibling(TierPaths.temporaryName(target.getFileName().toString()));
    try {
      try (FileChannel channel = createFile(temporary)) {
        ByteBuffer buffer = ByteBuffer.wrap(image);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        if (fsync) {
          channel.force(false);
        }
      }
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(temporary, e);
      if (TierPaths.isOutOfSpace(e)) {
        throw new StoreFullException("local disk full writing " + target + ": " + e, e);
      }
      throw new IOException("write failed for " + target + ": " + e, e);
    }
    written.add(path);
    counters.wrote(image.length, System.nanoTime() - start);
  }

  @Override
  public byte[] read(String path) throws IOException {
    ensureOpen();
    Path target = resolve(path);
    long start = System.nanoTime();
    byte[] image;
    try (FileChannel channel = FileChannel.open(target, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > Integer.MAX_VALUE - 16) {
        throw new IOException("file too large for a blob: " + target + " has " + size + " bytes");
      }
      image = new byte[(int) size];
      ByteBuffer buffer = ByteBuffer.wrap(image);
      int n = 0;
      while (buffer.hasRemaining() && n >= 0) {
        n = channel.read(buffer);
      }
      if (buffer.hasRemaining()) {
        image = Arrays.copyOf(image, buffer.position());
      }
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(location(path));
    }
    counters.read(image.length, System.nanoTime() - start);
    return image;
  }

  @Override
  public boolean delete(String path) throws IOException {
    ensureOpen();
    boolean deleted = Files.deleteIfExists(resolve(path));
    written.remove(path);
    return deleted;
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
    return List.of(counters.snapshot(name()));
  }

  /** Deletes every file this tier wrote and every directory it created that is now empty. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    IOException failure = null;
    for (String path : written) {
      try {
        Files.deleteIfExists(root.resolve(path));
      } catch (IOException e) {
        failure = collect(failure, e);
      }
    }
    written.clear();
    List<Path> dirs = new ArrayList<>(createdDirs);
    dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    for (Path dir : dirs) {
      try {
        Files.deleteIfExists(dir);
      } catch (DirectoryNotEmptyException e) {
        // Someone else's files live here too; leave the directory to them.
      } catch (IOException e) {
        failure = collect(failure, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private Path resolve(String path) {
    Path resolved = root.resolve(TierPaths.check(path)).normalize();
    if (!resolved.startsWith(root) || resolved.equals(root)) {
      throw new IllegalArgumentException(
          "blob path: expected a path under " + root + ", got \"" + path + "\"");
    }
    return resolved;
  }

  private FileChannel createFile(Path file) throws IOException {
    try {
      return openNew(file);
    } catch (NoSuchFileException e) {
      // A store sharing this root removed the directory when it was empty: create it again.
      knownDirs.remove(file.getParent());
      ensureDirectory(file.getParent());
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

  private void ensureDirectory(Path dir) throws IOException {
    if (knownDirs.contains(dir)) {
      return;
    }
    List<Path> missing = new ArrayList<>();
    for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
      missing.add(p);
    }
    for (int i = missing.size() - 1; i >= 0; i--) {
      Path p = missing.get(i);
      try {
        Files.createDirectory(p);
        if (posix) {
          Files.setPosixFilePermissions(p, DIR_MODE);
        }
        createdDirs.add(p);
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(p)) {
          throw new IOException("expected a directory at " + p + ", found a file", e);
        }
      }
    }
    knownDirs.add(dir);
  }

  private static void deleteQuietly(Path file, Exception failure) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  private static IOException collect(IOException failure, IOException e) {
    if (failure == null) {
      return e;
    }
    failure.addSuppressed(e);
    return failure;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("local disk tier " + root + " is closed");
    }
  }
}
