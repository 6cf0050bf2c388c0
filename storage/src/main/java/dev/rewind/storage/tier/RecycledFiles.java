package dev.rewind.storage.tier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Files of deleted blobs, kept in one hidden directory for later writes to overwrite. Writing into
 * a fresh file makes the file system allocate blocks and page-cache pages; overwriting a recycled
 * file reuses both, which makes unsynced writes several times faster here (docs/BENCHMARKS.md).
 *
 * <p>A file enters the pool by a rename out of its key's name, so it is never visible under a key
 * while it is here; a write takes it, overwrites and truncates it, then renames it onto its new key
 * (still temporary-then-rename). The pool holds at most {@code maxBytes} of files; others are
 * deleted. Only regular files with the tier's file mode are kept, and files are opened without
 * following links. Thread-safe.
 */
final class RecycledFiles {
  /** A pooled file and its size when it entered the pool. */
  record Taken(Path file, long size) {}

  private final Path dir;
  private final long maxBytes;
  private final Set<PosixFilePermission> fileMode;
  private final ArrayDeque<Taken> idle = new ArrayDeque<>();
  private final AtomicLong names = new AtomicLong();
  private long idleBytes;

  /**
   * @param dir the pool's directory, hidden, on the same file system as the blobs
   * @param fileMode the only permissions a kept file may have; null where there are none
   */
  RecycledFiles(Path dir, long maxBytes, Set<PosixFilePermission> fileMode) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.fileMode = fileMode;
  }

  Path dir() {
    return dir;
  }

  boolean enabled() {
    return maxBytes > 0;
  }

  /**
   * Moves {@code file} out of its name into the pool's directory (the caller has created it);
   * returns the new path, or null when there was no file. The file is not yet reusable: the caller
   * {@link #keep}s or {@link #discard}s it.
   */
  Path moveIn(Path file) throws IOException {
    Path moved = dir.resolve(names.incrementAndGet() + ".tmp");
    try {
      Files.move(file, moved, StandardCopyOption.ATOMIC_MOVE);
      return moved;
    } catch (NoSuchFileException e) {
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        throw e;
      }
      return null;
    }
  }

  /** Makes a moved-in file reusable if it is a plain owner-only file and fits, else deletes it. */
  void keep(Path moved) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes =
          fileMode == null
              ? Files.readAttributes(moved, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
              : Files.readAttributes(moved, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(moved);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    boolean plain =
        attributes.isRegularFile()
            && (fileMode == null
                || ((PosixFileAttributes) attributes).permissions().equals(fileMode));
    long size = attributes.size();
    synchronized (this) {
      if (plain && idleBytes + size <= maxBytes) {
        idle.addLast(new Taken(moved, size));
        idleBytes += size;
        return;
      }
    }
    Files.deleteIfExists(moved);
  }

  /** Deletes a moved-in file that must not be reused. */
  void discard(Path moved) throws IOException {
    Files.deleteIfExists(moved);
  }

  /** The most recently kept file (its pages most likely still cached), or null. */
  synchronized Taken take() {
    Taken taken = idle.pollLast();
    if (taken != null) {
      idleBytes -= taken.size();
    }
    return taken;
  }

  /** Files kept and not taken, for tests. */
  synchronized int idleCount() {
    return idle.size();
  }

  /** Deletes every file in the pool; returns the first failure with the others suppressed. */
  IOException clear() {
    IOException failure = null;
    Taken taken;
    while ((taken = take()) != null) {
      try {
        Files.deleteIfExists(taken.file());
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    return failure;
  }
}
