package dev.rewind.storage.tier;

import dev.rewind.storage.TierMetrics;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counters behind {@link TierMetrics}. */
final class TierCounters {
  private final LongAdder blobsWritten = new LongAdder();
  private final LongAdder bytesWritten = new LongAdder();
  private final LongAdder writeNanos = new LongAdder();
  private final LongAdder blobsRead = new LongAdder();
  private final LongAdder bytesRead = new LongAdder();
  private final LongAdder readNanos = new LongAdder();
  private final LongAdder blockedNanos = new LongAdder();

  public void wrote(long bytes, long nanos) {
    blobsWritten.increment();
    bytesWritten.add(bytes);
    writeNanos.add(nanos);
  }

  public void read(long bytes, long nanos) {
    blobsRead.increment();
    bytesRead.add(bytes);
    readNanos.add(nanos);
  }

  public void blocked(long nanos) {
    blockedNanos.add(nanos);
  }

  public TierMetrics snapshot(String tier, TierMetrics.Role role) {
    return new TierMetrics(
        tier,
        role,
        blobsWritten.sum(),
        bytesWritten.sum(),
        writeNanos.sum(),
        blobsRead.sum(),
        bytesRead.sum(),
        readNanos.sum(),
        blockedNanos.sum());
  }
}
