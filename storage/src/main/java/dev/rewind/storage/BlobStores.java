package dev.rewind.storage;

import dev.rewind.storage.format.BlobCodec;
import dev.rewind.storage.format.FloatCompression;
import dev.rewind.storage.tier.AsyncTier;
import dev.rewind.storage.tier.HadoopTier;
import dev.rewind.storage.tier.HeapTier;
import dev.rewind.storage.tier.LocalDiskTier;
import dev.rewind.storage.tier.PackTier;
import dev.rewind.storage.tier.Tier;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;

/** Opens blob stores over tiers. */
public final class BlobStores {
  private BlobStores() {}

  /** A store over {@code tier} (owned by the store from now on), dense data uncompressed. */
  public static BlobStore open(Tier tier) {
    return open(tier, FloatCompression.NONE);
  }

  /** A store over {@code tier} (owned by the store from now on). */
  public static BlobStore open(Tier tier, FloatCompression compression) {
    return new EncodingBlobStore(tier, new BlobCodec(compression));
  }

  /**
   * A store that writes behind and reads ahead over {@code tier}: puts return once the blob is
   * encoded and queued (at most {@code queueBytes} queued), and {@link BlobStore#prefetch} loads
   * announced keys into a cache of {@code cacheBytes}. See {@link AsyncTier}.
   */
  public static BlobStore writeBehind(Tier tier, long queueBytes, long cacheBytes) {
    return open(new AsyncTier(tier, queueBytes, cacheBytes));
  }

  /**
   * Bytes of queued writes, and of read-ahead images, that {@link #offChip} stores hold at most.
   */
  public static final long OFF_CHIP_BUFFER_BYTES = 16L << 20;

  /**
   * The off-chip store training uses under a local {@code root}: files ({@code packs} false) or
   * pack files, written behind and read ahead with {@link #OFF_CHIP_BUFFER_BYTES} of queue and of
   * cache, not fsynced (checkpoints are scratch data).
   */
  public static BlobStore offChip(Path root, boolean packs) throws IOException {
    return writeBehind(
        packs ? PackTier.local(root, PackTier.DEFAULT_PACK_BYTES) : new LocalDiskTier(root, false),
        OFF_CHIP_BUFFER_BYTES,
        OFF_CHIP_BUFFER_BYTES);
  }

  /** As {@link #offChip(Path, boolean)} under {@code root} in any Hadoop FileSystem. */
  public static BlobStore offChip(URI root, Configuration conf, boolean packs) throws IOException {
    return writeBehind(
        packs
            ? PackTier.hadoop(root, conf, PackTier.DEFAULT_PACK_BYTES)
            : new HadoopTier(root, conf, false),
        OFF_CHIP_BUFFER_BYTES,
        OFF_CHIP_BUFFER_BYTES);
  }

  /** A heap store holding at most {@code budgetBytes} encoded bytes. */
  public static BlobStore heap(long budgetBytes) {
    return open(new HeapTier(budgetBytes));
  }

  /** A store of files under {@code root}, not fsynced (checkpoints are scratch data). */
  public static BlobStore localDisk(Path root) throws IOException {
    return open(new LocalDiskTier(root, false));
  }

  /** A store of files under {@code root} in any Hadoop FileSystem, with the caller's conf. */
  public static BlobStore hadoop(URI root, Configuration conf) throws IOException {
    return open(new HadoopTier(root, conf, false));
  }

  /**
   * A store of pack files under a local {@code root} ({@link PackTier}): many blobs per file, so a
   * write costs an append, not a file creation.
   */
  public static BlobStore packs(Path root) throws IOException {
    return open(PackTier.local(root, PackTier.DEFAULT_PACK_BYTES));
  }

  /** A store of pack files under {@code root} in any Hadoop FileSystem, with the caller's conf. */
  public static BlobStore packs(URI root, Configuration conf) throws IOException {
    return open(PackTier.hadoop(root, conf, PackTier.DEFAULT_PACK_BYTES));
  }
}
