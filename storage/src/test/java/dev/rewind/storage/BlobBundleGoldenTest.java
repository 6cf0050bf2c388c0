package dev.rewind.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.storage.tier.BlobBundle;
import dev.rewind.storage.tier.BlobBundleWriter;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle as written on 2026-12-08 (format version 1, golden/bundle-v1.rwbb): it must keep
 * reading, and today's writer must keep writing exactly its bytes. A deliberate format change adds
 * a new golden file and keeps this one readable.
 */
class BlobBundleGoldenTest {
  @TempDir Path dir;

  static Map<BlobKey, Blob> blobs() {
    Map<BlobKey, Blob> blobs = new LinkedHashMap<>();
    blobs.put(new BlobKey("run-7", 3, 1048577, 120, "state.dense"), FloatBlock.of(0.5f, -0f, 2f));
    blobs.put(
        new BlobKey("run-7", 3, 1048577, 120, "state.spikes"),
        SpikeFrame.fromDense(
            2,
            5,
            new boolean[] {true, false, false, true, false, false, true, false, false, true}));
    blobs.put(new BlobKey("run-7", 3, 1048577, 240, "state.dense"), FloatBlock.of(Float.NaN));
    return blobs;
  }

  @Test
  void readsAndWritesTheBundleOfVersionOne() throws Exception {
    byte[] golden;
    try (InputStream in = getClass().getResourceAsStream("golden/bundle-v1.rwbb")) {
      golden = in.readAllBytes();
    }
    Path file = dir.resolve("golden.rwbb");
    Files.write(file, golden);
    try (BlobBundle bundle = BlobBundle.open(file.toUri(), new Configuration())) {
      for (Map.Entry<BlobKey, Blob> e : blobs().entrySet()) {
        assertEquals(e.getValue(), bundle.get(e.getKey()), e.getKey().relativePath());
      }
    }
    URI written = dir.resolve("today.rwbb").toUri();
    Configuration raw = new Configuration();
    raw.setBoolean("fs.file.impl.disable.cache", true);
    raw.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
    try (BlobBundleWriter writer = BlobBundleWriter.create(written, raw)) {
      for (Map.Entry<BlobKey, Blob> e : blobs().entrySet()) {
        writer.put(e.getKey(), e.getValue());
      }
      writer.publish();
      assertArrayEquals(golden, Files.readAllBytes(Path.of(written)));
    }
  }
}
