package dev.rewind.storage;

import java.util.List;

/**
 * A snapshot of a store's activity.
 *
 * @param tiers one entry per tier, outermost first
 * @param storedBytes bytes of the blobs this store holds now (encoded sizes)
 * @param callerBlockedNanos time callers spent inside the store's tier calls (I/O they waited for);
 *     encoding and decoding are not included
 */
public record StoreMetrics(List<TierMetrics> tiers, long storedBytes, long callerBlockedNanos) {
  public StoreMetrics {
    tiers = List.copyOf(tiers);
  }

  /**
   * The I/O of the tiers that hold data, summed: write-behind layers pass the same bytes on to the
   * tier they wrap, so they are left out rather than counted twice.
   */
  public TierMetrics storageIo() {
    long[] sum = new long[7];
    for (TierMetrics m : tiers) {
      if (m.role() != TierMetrics.Role.STORAGE) {
        continue;
      }
      sum[0] += m.blobsWritten();
      sum[1] += m.bytesWritten();
      sum[2] += m.writeNanos();
      sum[3] += m.blobsRead();
      sum[4] += m.bytesRead();
      sum[5] += m.readNanos();
      sum[6] += m.blockedNanos();
    }
    return new TierMetrics(
        "storage",
        TierMetrics.Role.STORAGE,
        sum[0],
        sum[1],
        sum[2],
        sum[3],
        sum[4],
        sum[5],
        sum[6]);
  }
}
