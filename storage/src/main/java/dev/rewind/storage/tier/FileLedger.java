package dev.rewind.storage.tier;

import dev.rewind.storage.StoreFullException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a file tier (local disk or Hadoop) has put under its root, and the parts of the publish
 * protocol both share: directories made on demand and remembered, a failed write's temporary file
 * removed and a full disk reported as {@link StoreFullException}, and on close every published file
 * and every directory the tier made (deepest first, only if empty) removed. Thread-safe.
 *
 * @param <P> the file system's path type
 */
final class FileLedger<P> {

  /** The few file operations the ledger needs from a file system. */
  interface FileOps<P> {
    boolean isDirectory(P path) throws IOException;

    P parent(P path);

    int depth(P path);

    /**
     * Creates one directory, owner-only; fine if a directory is already there. Returns whether this
     * call made it (as far as the file system tells), so that close removes only what the tier
     * made.
     */
    boolean createDirectory(P dir) throws IOException;

    void deleteFile(P file) throws IOException;

    /** Deletes a directory only if it is empty; another tier's files keep it. */
    void deleteIfEmpty(P dir) throws IOException;
  }

  private final FileOps<P> ops;
  private final Set<String> written = ConcurrentHashMap.newKeySet();
  private final Set<P> createdDirs = ConcurrentHashMap.newKeySet();
  private final Set<P> knownDirs = ConcurrentHashMap.newKeySet();

  FileLedger(FileOps<P> ops) {
    this.ops = ops;
  }

  /** Makes {@code dir} and its missing parents, remembering which ones this tier made. */
  void ensureDirectory(P dir) throws IOException {
    if (knownDirs.contains(dir)) {
      return;
    }
    List<P> missing = new ArrayList<>();
    for (P p = dir; p != null && !ops.isDirectory(p); p = ops.parent(p)) {
      missing.add(p);
    }
    for (int i = missing.size() - 1; i >= 0; i--) {
      if (ops.createDirectory(missing.get(i))) {
        createdDirs.add(missing.get(i));
      }
    }
    knownDirs.add(dir);
  }

  /** Forgets that {@code dir} exists: a tier sharing the root may have removed it when empty. */
  void forgetDirectory(P dir) {
    knownDirs.remove(dir);
  }

  void published(String path) {
    written.add(path);
  }

  void removed(String path) {
    written.remove(path);
  }

  boolean isPublished(String path) {
    return written.contains(path);
  }

  /**
   * The error to throw for a failed write of {@code target} ({@code what} names the tier's medium,
   * "local disk"), after removing its temporary file; a removal failure is added as suppressed.
   */
  IOException writeFailed(String what, Object target, P temporary, Throwable failure) {
    try {
      ops.deleteFile(temporary);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
    if (TierPaths.isOutOfSpace(failure)) {
      return new StoreFullException(what + " full writing " + target + ": " + failure, failure);
    }
    return new IOException("write failed for " + target + ": " + failure, failure);
  }

  /**
   * Removes every published file (resolved by {@code resolve}); returns the first failure, later
   * ones suppressed in it, after trying them all, or null.
   */
  IOException removeFiles(Function<String, P> resolve) {
    IOException failure = null;
    for (String path : written) {
      try {
        ops.deleteFile(resolve.apply(path));
      } catch (IOException e) {
        failure = collect(failure, e);
      }
    }
    written.clear();
    return failure;
  }

  /**
   * Removes the directories this tier made, deepest first, where empty; as {@link #removeFiles}.
   */
  IOException removeDirectories() {
    IOException failure = null;
    List<P> dirs = new ArrayList<>(createdDirs);
    dirs.sort(Comparator.comparingInt(ops::depth).reversed());
    for (P dir : dirs) {
      try {
        ops.deleteIfEmpty(dir);
      } catch (IOException e) {
        failure = collect(failure, e);
      }
    }
    createdDirs.clear();
    knownDirs.clear();
    return failure;
  }

  /**
   * What a tier's close removes: the published files, then what {@code beforeDirectories} removes
   * (files the tier kept outside the ledger), then the directories it made. Throws the first
   * failure, later ones suppressed in it, after trying them all.
   */
  void removeAll(Function<String, P> resolve, Supplier<IOException> beforeDirectories)
      throws IOException {
    IOException failure = removeFiles(resolve);
    failure = collect(failure, beforeDirectories.get());
    failure = collect(failure, removeDirectories());
    if (failure != null) {
      throw failure;
    }
  }

  /** {@code failure} with {@code e} suppressed in it, or {@code e} when there was none yet. */
  static IOException collect(IOException failure, IOException e) {
    if (failure == null) {
      return e;
    }
    if (e != null) {
      failure.addSuppressed(e);
    }
    return failure;
  }
}
