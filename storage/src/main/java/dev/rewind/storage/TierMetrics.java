package dev.rewind.storage;

/**
 * What one tier has done since it was opened. Write and read times are the time its own I/O took,
 * on whichever thread did it. Blocked time is what callers waited in this tier beyond that: for a
 * write-behind tier, waiting for queue space, an unfinished read-ahead or a synchronous read; zero
 * for tiers that do their I/O on the caller's thread, where write plus read time is the blocking.
 * {@link StoreMetrics#callerBlockedNanos()} sums what callers waited in the store.
 *
 * @param tier the tier's name, for people
 * @param role what the tier does with the bytes it counts
 */
public record TierMetrics(
    String tier,
    Role role,
    long blobsWritten,
    long bytesWritten,
    long writeNanos,
    long blobsRead,
    long bytesRead,
    long readNanos,
    long blockedNanos) {

  /** What a tier does with the bytes it counts. */
  public enum Role {
    /** Holds the data: its bytes are the store's I/O. */
    STORAGE,
    /** Passes the same bytes on to the tier it wraps, later or earlier: counting both is twice. */
    WRITE_BEHIND
  }
}
