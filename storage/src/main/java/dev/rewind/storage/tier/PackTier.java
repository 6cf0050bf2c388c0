package dev.rewind.storage.tier;

import dev.rewind.storage.BlobNotFoundException;
import dev.rewind.storage.StoreFullException;
import dev.rewind.storage.TierMetrics;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Images appended to large pack files instead of one file per image: creating a file costs
 * milliseconds on a local disk and tens of them on HDFS, appending to an open one costs a copy.
 *
 * <p>The tier owns one folder under the root ({@link PackFolders} names it after the host and
 * process, so that a later run can tell a dead owner's folder from a live one) and appends to one
 * pack at a time; a pack is sealed once the next image would take it past {@code packBytes}, and
 * removed once every image in it is deleted or replaced. The index (path to pack, offset, length)
 * lives in memory: a tier's images live as long as the tier, and a crash leaves only a folder for
 * {@link PackFolders#sweep} to remove. An image is indexed, so visible, only once its bytes are in
 * the pack; a failed append is truncated away where the file system can (else it stays, unindexed,
 * until the pack is removed), so a reader never sees a partial image. Each image carries its own
 * checksum (the blob footer's CRC32C), which the store verifies on read. Reads are positioned reads
 * on a shared input per pack; an image of the pack being written is first flushed to the file
 * system ({@code hflush} on HDFS) and, when the shared input was opened before, read through an
 * input opened for it. {@link #close()} removes the folder and everything in it.
 */
public final class PackTier implements Tier {
  /** Packs are sealed at 32 MiB by default: a few create calls per hundred MiB of checkpoints. */
  public static final long DEFAULT_PACK_BYTES = 32L << 20;

  private final PackFiles files;
  private final String folder;
  private final long packBytes;
  private final TierCounters counters = new TierCounters();
  private final DirectBufferPool buffers = DirectBufferPool.SHARED;

  /** Guards the index and the packs' counts; never held during an append. */
  private final Object lock = new Object();

  /** Serialises appends, rolls and flushes of the pack being written. */
  private final Object appendLock = new Object();

  private final Map<String, Entry> index = new HashMap<>();
  private final List<Pack> packs = new ArrayList<>();
  private Pack current;
  private int nextPack;
  private volatile boolean closed;

  /** Packs under a local directory. */
  public static PackTier local(Path root, long packBytes) throws IOException {
    return open(new LocalPackFiles(root), packBytes);
  }

  /** Packs under a root in any Hadoop FileSystem, read with the caller's conf. */
  public static PackTier hadoop(URI root, Configuration conf, long packBytes) throws IOException {
    return open(new HadoopPackFiles(root, conf), packBytes);
  }

  private static PackTier open(PackFiles files, long packBytes) throws IOException {
    try {
      PackFolders.sweepOnce(files);
      return new PackTier(files, PackFolders.create(files), packBytes);
    } catch (IOException | RuntimeException e) {
      files.close();
      throw e;
    }
  }

  PackTier(PackFiles files, String folder, long packBytes) {
    if (packBytes <= 0) {
      throw new IllegalArgumentException("pack tier: expected packBytes > 0, got " + packBytes);
    }
    this.files = files;
    this.folder = folder;
    this.packBytes = packBytes;
  }

  @Override
  public String name() {
    return "packs:" + files.name();
  }

  @Override
  public void write(String path, byte[] image) throws IOException {
    ensureOpen();
    append(path, ByteBuffer.wrap(image));
  }

  /** Fills a pooled direct buffer and appends it: no array, no copy through a JDK buffer. */
  @Override
  public void write(String path, int length, ImageWriter writer) throws IOException {
    ensureOpen();
    if (!buffers.writeThrough(path, length, writer, image -> append(path, image))) {
      Tier.super.write(path, length, writer);
    }
  }

  /** Appends the image from the buffer's position to its limit and indexes it under path. */
  private void append(String path, ByteBuffer image) throws IOException {
    TierPaths.check(path);
    int length = image.remaining();
    long start = System.nanoTime();
    synchronized (appendLock) {
      Pack pack = packFor(length);
      long offset = pack.length;
      try {
        pack.output.append(image);
      } catch (IOException | RuntimeException e) {
        abandonTail(pack, offset, e);
        String where = files.location(folder, pack.file);
        if (TierPaths.isOutOfSpace(e)) {
          throw new StoreFullException(
              "file system full writing " + path + " to " + where + ": " + e, e);
        }
        throw new IOException("write of " + path + " to " + where + " failed: " + e, e);
      }
      synchronized (lock) {
        pack.length = offset + length;
        pack.live++;
        Entry old = index.put(path, new Entry(pack, offset, length));
        if (old != null) {
          release(old.pack);
        }
      }
    }
    counters.wrote(length, System.nanoTime() - start);
  }

  @Override
  public byte[] read(String path) throws IOException {
    return read(path, false, image -> image.array());
  }

  /** Reads into a pooled direct buffer (one copy from the page cache) and lends it to reader. */
  @Override
  public <T> T read(String path, ImageReader<T> reader) throws IOException {
    return read(path, true, reader);
  }

  private <T> T read(String path, boolean pooled, ImageReader<T> reader) throws IOException {
    ensureOpen();
    TierPaths.check(path);
    long start = System.nanoTime();
    Entry entry;
    synchronized (lock) {
      entry = index.get(path);
      if (entry == null) {
        throw new BlobNotFoundException(location(path));
      }
      entry.pack.readers++;
    }
    try {
      ByteBuffer image =
          pooled && entry.length <= buffers.maxBufferBytes()
              ? buffers.take(entry.length)
              : ByteBuffer.allocate(entry.length);
      try {
        readEntry(entry, image);
        counters.read(entry.length, System.nanoTime() - start);
        return reader.read(image.flip());
      } finally {
        if (image.isDirect()) {
          buffers.give(image);
        }
      }
    } finally {
      synchronized (lock) {
        entry.pack.readers--;
        removeIfDead(entry.pack);
      }
    }
  }

  private void readEntry(Entry entry, ByteBuffer into) throws IOException {
    Pack pack = entry.pack;
    long end = entry.offset + entry.length;
    if (end > pack.flushed) {
      synchronized (appendLock) {
        if (pack.output != null && end > pack.flushed) {
          flush(pack);
        }
      }
    }
    PackFiles.Input shared;
    synchronized (lock) {
      if (pack.input == null || (end > pack.inputLength && pack.readers == 1)) {
        closeQuietly(pack.input);
        pack.input = null;
        pack.inputLength = pack.flushed;
        pack.input = files.open(folder, pack.file);
      }
      shared = end <= pack.inputLength ? pack.input : null;
    }
    if (shared != null) {
      shared.read(entry.offset, into);
      return;
    }
    // Other readers hold the shared input, which was opened before this image was flushed.
    try (PackFiles.Input fresh = files.open(folder, pack.file)) {
      fresh.read(entry.offset, into);
    } catch (EOFException e) {
      throw new IOException("pack " + files.location(folder, pack.file) + " is short: " + e, e);
    }
  }

  @Override
  public boolean delete(String path) throws IOException {
    ensureOpen();
    TierPaths.check(path);
    synchronized (lock) {
      Entry entry = index.remove(path);
      if (entry == null) {
        return false;
      }
      release(entry.pack);
      return true;
    }
  }

  @Override
  public boolean exists(String path) {
    ensureOpen();
    TierPaths.check(path);
    synchronized (lock) {
      return index.containsKey(path);
    }
  }

  @Override
  public String location(String path) {
    synchronized (lock) {
      Entry entry = index.get(path);
      String pack = entry == null ? "" : " in " + files.location(folder, entry.pack.file);
      return path + pack + " (" + name() + "/" + folder + ")";
    }
  }

  /** Makes every image written so far readable by any reader of the file system. */
  @Override
  public void flush() throws IOException {
    ensureOpen();
    synchronized (appendLock) {
      if (current != null && current.flushed < current.length) {
        flush(current);
      }
    }
  }

  /** Flushes a pack's output; a buffered append that finds the disk full fails here. */
  private void flush(Pack pack) throws IOException {
    try {
      pack.output.flush();
    } catch (IOException | RuntimeException e) {
      String where = files.location(folder, pack.file);
      if (TierPaths.isOutOfSpace(e)) {
        throw new StoreFullException("file system full flushing " + where + ": " + e, e);
      }
      throw new IOException("flush of " + where + " failed: " + e, e);
    }
    pack.flushed = pack.length;
  }

  @Override
  public List<TierMetrics> metrics() {
    return List.of(counters.snapshot(name(), TierMetrics.Role.STORAGE));
  }

  /** Packs in the folder now (written to, or holding a live image), for tests. */
  int packCount() {
    synchronized (lock) {
      return packs.size();
    }
  }

  /** The tier's folder under the root, for tests. */
  String folder() {
    return folder;
  }

  /**
   * Removes the tier's folder and all its packs, then releases the file system. The folder goes
   * first: closing an HDFS file that is still there waits for its last block to complete (400 ms at
   * first by default), closing one already deleted does not, and its bytes are not wanted.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    IOException failure = null;
    List<java.io.Closeable> handles = new ArrayList<>();
    synchronized (appendLock) {
      synchronized (lock) {
        for (Pack pack : packs) {
          handles.add(pack.output);
          handles.add(pack.input);
        }
        packs.clear();
        index.clear();
        current = null;
      }
    }
    try {
      files.deleteFolder(folder);
    } catch (IOException e) {
      failure = FileLedger.collect(failure, e);
    }
    // The files are gone: a handle that fails to close loses nothing.
    handles.forEach(PackTier::closeQuietly);
    failure = closeCollecting(files, failure);
    if (failure != null) {
      throw failure;
    }
  }

  /** The pack the next image of {@code bytes} goes to: the current one, or a new one. */
  private Pack packFor(int bytes) throws IOException {
    if (current != null && current.length > 0 && current.length + bytes > packBytes) {
      seal(current);
    }
    if (current == null) {
      String file = String.format("pack-%06d.rwp", nextPack++);
      PackFiles.Output output;
      try {
        output = files.create(folder, file);
      } catch (IOException e) {
        if (TierPaths.isOutOfSpace(e)) {
          throw new StoreFullException(
              "file system full creating " + files.location(folder, file) + ": " + e, e);
        }
        throw e;
      }
      Pack pack = new Pack(file, output);
      synchronized (lock) {
        packs.add(pack);
        current = pack;
      }
    }
    return current;
  }

  /** Closes a pack for writing, which makes all of it visible; removes it if nothing is live. */
  private void seal(Pack pack) throws IOException {
    PackFiles.Output output = pack.output;
    synchronized (lock) {
      pack.output = null;
      current = null;
    }
    output.close();
    synchronized (lock) {
      pack.flushed = pack.length;
      removeIfDead(pack);
    }
  }

  /** After a failed append: drops the partial tail and stops appending to this pack. */
  private void abandonTail(Pack pack, long length, Exception failure) {
    try {
      pack.output.truncate(length);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
    try {
      seal(pack);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private void release(Pack pack) {
    pack.live--;
    removeIfDead(pack);
  }

  /** Removes a sealed pack that holds no live image and that no one is reading. Under lock. */
  private void removeIfDead(Pack pack) {
    if (pack.output != null || pack.live > 0 || pack.readers > 0 || !packs.remove(pack)) {
      return;
    }
    closeQuietly(pack.input);
    pack.input = null;
    try {
      files.delete(folder, pack.file);
    } catch (IOException e) {
      // The folder goes at close with whatever it still holds.
    }
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (IOException e) {
      // a read handle, or an output whose file is gone: nothing is lost
    }
  }

  private static IOException closeCollecting(java.io.Closeable closeable, IOException failure) {
    if (closeable == null) {
      return failure;
    }
    try {
      closeable.close();
    } catch (IOException e) {
      return FileLedger.collect(failure, e);
    }
    return failure;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("pack tier " + name() + "/" + folder + " is closed");
    }
  }

  private record Entry(Pack pack, long offset, int length) {}

  /** One pack file; its fields are guarded by the tier's lock (output also by appendLock). */
  private static final class Pack {
    final String file;
    PackFiles.Output output;
    PackFiles.Input input;
    long length;
    volatile long flushed;
    long inputLength;
    int live;
    int readers;

    Pack(String file, PackFiles.Output output) {
      this.file = file;
      this.output = output;
    }
  }
}
