package dev.rewind.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.tier.BlobBundle;
import dev.rewind.storage.tier.BlobBundleWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle written through Hadoop's local file system: every blob kind back bit for bit in another
 * reader, invisible until published, deleted by its writer's close, and damaged or missing content
 * failing with the file and the key named.
 */
class BlobBundleTest {
  @TempDir Path dir;

  private static BlobKey key(int step, String tensor) {
    return new BlobKey("run", 2, 5, step, tensor);
  }

  @Test
  void everyKindComesBackBitExactlyOncePublishedAndTheWritersCloseDeletesIt() throws IOException {
    URI file = dir.resolve("a/b/segment.bundle").toUri();
    Configuration conf = new Configuration();
    List<Blob> blobs = BaseBlobStoreTestCase.samples();
    try (BlobBundleWriter writer = BlobBundleWriter.create(file, conf)) {
      writer.put(key(0, "t"), FloatBlock.of(9f));
      for (int i = 0; i < blobs.size(); i++) {
        writer.put(key(i, "t"), blobs.get(i));
      }
      assertThrows(BlobNotFoundException.class, () -> BlobBundle.open(file, conf).close());
      writer.publish();
      assertTrue(writer.bytes() > 0);
      // Owner-only, as every off-chip file, with no checksum file beside it.
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(file))));
      assertEquals(
          "rwx------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b"))));
      try (var files = Files.list(dir.resolve("a/b"))) {
        assertEquals(List.of(Path.of(file)), files.toList());
      }
      try (BlobBundle bundle = BlobBundle.open(file, conf)) {
        for (int i = 0; i < blobs.size(); i++) {
          assertEquals(blobs.get(i), bundle.get(key(i, "t")), "blob " + i);
        }
        BlobNotFoundException missing =
            assertThrows(BlobNotFoundException.class, () -> bundle.get(key(1, "u")));
        assertTrue(missing.getMessage().contains(key(1, "u").relativePath()));
        assertThrows(IllegalArgumentException.class, () -> bundle.getSpikes(key(0, "t")));
      }
      assertThrows(IllegalStateException.class, () -> writer.put(key(9, "t"), FloatBlock.of()));
    }
    assertFalse(Files.exists(Path.of(file)), "the writer's close deleted the bundle");
    try (BlobBundleWriter unused = BlobBundleWriter.create(file, conf)) {
      try (var files = Files.list(dir.resolve("a/b"))) {
        assertEquals(0, files.count(), "a writer without records creates no file");
      }
    }
  }

  @Test
  void aDamagedOrTruncatedBundleFailsNamingTheFileAndKey() throws IOException {
    URI file = dir.resolve("truncated.bundle").toUri();
    // The raw local file system: no checksum file to catch the truncation first.
    Configuration conf = new Configuration();
    conf.setBoolean("fs.file.impl.disable.cache", true);
    conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
    try (BlobBundleWriter writer = BlobBundleWriter.create(file, conf)) {
      writer.put(key(1, "t"), FloatBlock.of(1f, 2f, 3f));
      writer.put(key(2, "t"), FloatBlock.of(4f, 5f, 6f));
      writer.publish();
      try (RandomAccessFile raw = new RandomAccessFile(Path.of(file).toFile(), "rw")) {
        // A flipped byte in the last record's float payload: the record's checksum catches it.
        raw.seek(raw.length() - 12);
        int b = raw.read();
        raw.seek(raw.length() - 12);
        raw.write(b ^ 0x40);
        try (BlobBundle bundle = BlobBundle.open(file, conf)) {
          assertEquals(FloatBlock.of(1f, 2f, 3f), bundle.get(key(1, "t")));
          CorruptFileException flipped =
              assertThrows(CorruptFileException.class, () -> bundle.get(key(2, "t")));
          assertTrue(
              flipped.getMessage().contains(key(2, "t").relativePath()), flipped.getMessage());
        }
        raw.setLength(raw.length() - 5);
      }
      CorruptFileException e =
          assertThrows(CorruptFileException.class, () -> BlobBundle.open(file, conf));
      assertTrue(e.getMessage().contains("truncated.bundle"), e.getMessage());
    }
  }
}
