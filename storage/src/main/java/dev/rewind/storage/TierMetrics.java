package dev.rewind.storage;

/**
 * What one tier has done since it was opened. Write and read times are spent doing I/O, by
 * whichever thread did it; blocked time is what a caller spent waiting inside this tier (for a
 * synchronous tier its whole I/O time, for a write-behind tier waiting for queue space or an
 * unfinished read-ahead).
 */
public record TierMetrics(
    String tier,
    long blobsWritten,
    long bytesWritten,
    long writeNanos,
    long blobsRead,
    long bytesRead,
    long readNanos,
    long blockedNanos) {}
