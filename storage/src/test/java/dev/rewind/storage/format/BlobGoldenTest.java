package dev.rewind.storage.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.storage.Blob;
import dev.rewind.storage.ByteBlock;
import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.IntBlock;
import dev.rewind.storage.SparseFloats;
import dev.rewind.storage.SpikeFrame;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Blob images as written on 2026-12-03 (commit 202a17f, format version 1), one file per kind and
 * payload codec: they must keep reading, and today's uncompressed encoder must keep writing exactly
 * their bytes (compressed payloads may change with the compression library, so those are read
 * only). A deliberate format change adds new golden files and keeps these readable.
 */
class BlobGoldenTest {
  /** File name (under golden/) to the blob it holds, uncompressed. */
  static Map<String, Blob> plain() {
    Map<String, Blob> blobs = new LinkedHashMap<>();
    blobs.put("floats-v1.rwb", new FloatBlock(new int[] {2, 3}, floats()));
    blobs.put("ints-v1.rwb", IntBlock.of(1, -2, 3, Integer.MAX_VALUE, Integer.MIN_VALUE));
    blobs.put("bytes-v1.rwb", new ByteBlock(new byte[] {9, 8, 7, -1}));
    blobs.put(
        "sparse-floats-v1.rwb",
        new SparseFloats(100, new int[] {3, 50, 99}, new float[] {1f, -0f, Float.NaN}));
    blobs.put("spikes-sparse-v1.rwb", spikes(4, 60, 17));
    blobs.put("spikes-dense-v1.rwb", spikes(4, 60, 2));
    return blobs;
  }

  /** File name to the compression of the {@link #compressible()} block it holds. */
  static Map<String, FloatCompression> compressed() {
    Map<String, FloatCompression> files = new LinkedHashMap<>();
    files.put("floats-lz4-v1.rwb", FloatCompression.LZ4);
    files.put("floats-zstd-v1.rwb", FloatCompression.ZSTD);
    return files;
  }

  /** 256 floats cycling through 8 values: both compressors shrink it, so the payload is theirs. */
  static FloatBlock compressible() {
    float[] values = new float[256];
    for (int i = 0; i < values.length; i++) {
      values[i] = (i % 8) * 0.25f - 1f;
    }
    return new FloatBlock(new int[] {16, 16}, values);
  }

  static float[] floats() {
    return new float[] {0.5f, -0f, Float.MIN_VALUE, 3.25e7f, -1e-3f, Float.MAX_VALUE};
  }

  /** A frame with a spike in every {@code every}-th cell. */
  static SpikeFrame spikes(int rows, int cols, int every) {
    boolean[] cells = new boolean[rows * cols];
    for (int i = 0; i < cells.length; i += every) {
      cells[i] = true;
    }
    return SpikeFrame.fromDense(rows, cols, cells);
  }

  @Test
  void readsAndWritesTheUncompressedImagesOfVersionOne() throws Exception {
    BlobCodec codec = new BlobCodec(FloatCompression.NONE);
    for (Map.Entry<String, Blob> e : plain().entrySet()) {
      byte[] image = golden(e.getKey());
      assertEquals(e.getValue(), codec.decode(image, e.getKey()), e.getKey());
      assertArrayEquals(image, codec.encode(e.getValue()), e.getKey());
    }
  }

  @Test
  void readsTheCompressedImagesOfVersionOne() throws Exception {
    for (Map.Entry<String, FloatCompression> e : compressed().entrySet()) {
      Blob read = new BlobCodec(e.getValue()).decode(golden(e.getKey()), e.getKey());
      assertEquals(compressible(), read, e.getKey());
    }
  }

  private static byte[] golden(String name) throws IOException {
    try (InputStream in = BlobGoldenTest.class.getResourceAsStream("golden/" + name)) {
      return in.readAllBytes();
    }
  }
}
