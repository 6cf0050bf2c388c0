package dev.rewind.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.tier.HadoopTier;
import dev.rewind.storage.tier.Tier;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** The Hadoop tier over {@code file://}, and over a local file system that fills up. */
class HadoopLocalFsBlobStoreTest extends BaseBlobStoreTestCase {
  private Path root;

  @Override
  protected Tier newTier(String name) throws IOException {
    Path base = Path.of("target", "hadoop-file-tier-test").toAbsolutePath();
    Files.createDirectories(base);
    root = Files.createTempDirectory(base, name).resolve("root");
    return new HadoopTier(root.toUri(), new Configuration(), false);
  }

  @Override
  protected List<String> filesUnderRoot() throws IOException {
    return LocalDiskBlobStoreTest.listFiles(root);
  }

  @Test
  void filesAreOwnerOnlyAndNoChecksumSideFiles() throws IOException {
    BlobKey k = key(0, "v");
    store.put(k, FloatBlock.of(1f));
    Path file = root.resolve(k.relativePath());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    assertEquals(List.of(k.relativePath()), filesUnderRoot());
  }

  @Test
  void aRootWithATrailingSlashIsTheSameRoot() throws IOException {
    URI slashed = URI.create(root.toUri().toString().replaceAll("/?$", "/"));
    try (BlobStore s = BlobStores.hadoop(slashed, new Configuration())) {
      s.put(key(0, "v"), FloatBlock.of(2f));
      assertEquals(FloatBlock.of(2f), s.get(key(0, "v")));
      assertEquals(List.of(key(0, "v").relativePath()), filesUnderRoot());
    }
  }

  @Test
  void aFullDiskFailsTheWriteAndLeavesNothingVisible() throws IOException {
    Configuration conf = new Configuration();
    conf.set("fs." + FullDiskFileSystem.SCHEME + ".impl", FullDiskFileSystem.class.getName());
    conf.setLong(FullDiskFileSystem.CAPACITY, 5000);
    Path fullRoot = root.resolveSibling("full");
    URI uri = URI.create(FullDiskFileSystem.SCHEME + "://" + fullRoot.toUri().getPath());
    try (BlobStore full = BlobStores.hadoop(uri, conf)) {
      full.put(key(0, "v"), FloatBlock.of(new float[500]));
      StoreFullException e =
          assertThrows(
              StoreFullException.class,
              () -> full.put(key(1, "v"), FloatBlock.of(new float[1000])));
      assertTrue(e.getMessage().startsWith("file system full writing fullfs:"), e.getMessage());
      assertTrue(e.getMessage().contains("run/a1/b2/v/1.rwb"), e.getMessage());
      assertFalse(full.exists(key(1, "v")));
      assertEquals(List.of("run/a1/b2/v/0.rwb"), LocalDiskBlobStoreTest.listFiles(fullRoot));
      assertEquals(FloatBlock.of(new float[500]), full.get(key(0, "v")));
    }
    assertEquals(List.of(), LocalDiskBlobStoreTest.listFiles(fullRoot));
  }
}
