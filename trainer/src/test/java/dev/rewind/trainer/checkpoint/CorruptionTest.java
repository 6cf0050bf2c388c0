package dev.rewind.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.Blob;
import dev.rewind.storage.BlobKey;
import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.storage.CorruptFileException;
import dev.rewind.storage.StoreFullException;
import dev.rewind.storage.StoreMetrics;
import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.internal.lif.CheckpointExecutor;
import dev.rewind.trainer.internal.runner.CheckpointReadException;
import dev.rewind.trainer.internal.runner.ExecutorSettings;
import dev.rewind.trainer.internal.runner.SlowStates;
import dev.rewind.trainer.schedule.DoubleCheckpointSchedule;
import dev.rewind.trainer.schedule.PeriodicSchedule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged or failing slow tier stops the run with an error naming the key, never a gradient. */
class CorruptionTest {
  @TempDir Path dir;

  /** A local-disk store that flips one byte of the file it just wrote for one chosen step. */
  private static final class CorruptingStore implements BlobStore {
    private final BlobStore delegate;
    private final Path root;
    private final long step;
    private final String tensor;

    CorruptingStore(Path root, long step, String tensor) throws IOException {
      this.delegate = BlobStores.localDisk(root);
      this.root = root;
      this.step = step;
      this.tensor = tensor;
    }

    @Override
    public void put(BlobKey key, Blob blob) throws IOException {
      delegate.put(key, blob);
      if (key.step() == step && key.tensor().equals(tensor)) {
        try (FileChannel file =
            FileChannel.open(
                root.resolve(key.relativePath()),
                StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
          long position = file.size() / 2;
          ByteBuffer b = ByteBuffer.allocate(1);
          file.read(b, position);
          b.put(0, (byte) (b.get(0) ^ 0x10));
          b.rewind();
          file.write(b, position);
        }
      }
    }

    @Override
    public Blob get(BlobKey key) throws IOException {
      return delegate.get(key);
    }

    @Override
    public boolean delete(BlobKey key) throws IOException {
      return delegate.delete(key);
    }

    @Override
    public boolean exists(BlobKey key) throws IOException {
      return delegate.exists(key);
    }

    @Override
    public void prefetch(List<BlobKey> keys) throws IOException {
      delegate.prefetch(keys);
    }

    @Override
    public void flush() throws IOException {
      delegate.flush();
    }

    @Override
    public long storedBytes() {
      return delegate.storedBytes();
    }

    @Override
    public StoreMetrics metrics() {
      return delegate.metrics();
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }

  @Test
  void aCorruptedCheckpointStopsTheRunNamingItsKey() throws IOException {
    Cases c = Cases.draw(Long.getLong("rewind.seed", 5150L), 300, 300);
    System.out.println("case " + c);
    for (String tensor : List.of(SlowStates.DENSE, SlowStates.SPIKES)) {
      try (BlobStore store = new CorruptingStore(dir.resolve(tensor), 100, tensor);
          CheckpointExecutor executor =
              new CheckpointExecutor(c.config(), c.batch(), store, ExecutorSettings.DEFAULT)) {
        CheckpointReadException e =
            assertThrows(
                CheckpointReadException.class,
                () ->
                    executor.run(
                        c.parameters(),
                        c.frames(),
                        new DoubleCheckpointSchedule(c.steps(), 50, 10)));
        System.out.println(e.getMessage());
        assertTrue(e.getMessage().contains("/100.rwb"), e.getMessage());
        assertTrue(e.getMessage().contains(tensor), e.getMessage());
        assertTrue(e.getCause() instanceof CorruptFileException, String.valueOf(e.getCause()));
        assertEquals(0, store.storedBytes(), "a failed run frees its checkpoints");

        // the executor stays usable: the same plan without step 100 on the slow tier is exact
        BpttResult expected =
            new StoreAllBptt(c.config(), c.batch()).run(c.parameters(), c.frames());
        CheckpointResult again =
            executor.run(c.parameters(), c.frames(), PeriodicSchedule.remote(c.steps(), 70));
        assertEquals(expected.loss(), again.loss());
        assertArrayEquals(expected.gradient(), again.gradient());
      }
    }
  }

  @Test
  void aSlowTierWithoutRoomFailsTheRun() throws IOException {
    Cases c = Cases.draw(Long.getLong("rewind.seed", 5151L), 300, 300);
    try (BlobStore tiny = BlobStores.heap(64);
        CheckpointExecutor executor =
            new CheckpointExecutor(c.config(), c.batch(), tiny, ExecutorSettings.DEFAULT)) {
      assertThrows(
          StoreFullException.class,
          () -> executor.run(c.parameters(), c.frames(), PeriodicSchedule.remote(c.steps(), 30)));
    }
  }
}
