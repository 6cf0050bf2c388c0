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
}
