package dev.rewind.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rewind.storage.tier.PackTier;
import dev.rewind.storage.tier.Tier;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** The pack tier on a local directory, with small packs so that the suite rolls many of them. */
class PackLocalBlobStoreTest extends BaseBlobStoreTestCase {
  static final long SMALL_PACKS = 8 << 10;
  private Path root;

  @Override
  protected Tier newTier(String name) throws IOException {
    Path base = Path.of("target", "pack-tier-test");
    Files.createDirectories(base);
    root = Files.createTempDirectory(base, name).resolve("root");
    return PackTier.local(root, SMALL_PACKS);
  }

  @Override
  protected List<String> filesUnderRoot() throws IOException {
    return LocalDiskBlobStoreTest.listFiles(root);
  }

  @Test
  void manyBlobsShareAFewOwnerOnlyPackFiles() throws IOException {
    for (int i = 0; i < 100; i++) {
      store.put(key(i, "v"), FloatBlock.of(new float[256]));
    }
    List<String> files = filesUnderRoot();
    // 100 blobs of about 1 KiB in packs of 8 KiB
    assertTrue(files.size() >= 13 && files.size() <= 15, "pack files: " + files);
    for (String file : files) {
      assertTrue(file.matches("rewind-packs_[^/]+_\\d+_[0-9a-f]+/pack-\\d{6}\\.rwp"), file);
      Path path = root.resolve(file);
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
      assertEquals(
          "rwx------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(path.getParent())));
    }
    for (int i = 0; i < 100; i++) {
      assertEquals(FloatBlock.of(new float[256]), store.get(key(i, "v")));
    }
  }

  @Test
  void aPackGoesOnceEveryBlobInItIsDeleted() throws IOException {
    for (int i = 0; i < 40; i++) {
      store.put(key(i, "v"), FloatBlock.of(new float[256]));
    }
    int packs = filesUnderRoot().size();
    for (int i = 39; i >= 8; i--) {
      store.delete(key(i, "v"));
    }
    List<String> left = filesUnderRoot();
    assertTrue(left.size() <= 3 && left.size() < packs, packs + " packs, then " + left);
    for (int i = 0; i < 8; i++) {
      assertEquals(FloatBlock.of(new float[256]), store.get(key(i, "v")));
    }
  }

  @Test
  void aFullDiskFailsTheWriteAndKeepsEveryEarlierBlob() throws IOException {
    Configuration conf = new Configuration();
    conf.set("fs." + FullDiskFileSystem.SCHEME + ".impl", FullDiskFileSystem.class.getName());
    conf.setLong(FullDiskFileSystem.CAPACITY, 5000);
    Path fullRoot = root.resolveSibling("full");
    URI uri = URI.create(FullDiskFileSystem.SCHEME + "://" + fullRoot.toUri().getPath());
    try (BlobStore full = BlobStores.open(PackTier.hadoop(uri, conf, SMALL_PACKS))) {
      full.put(key(0, "v"), FloatBlock.of(new float[500]));
      StoreFullException e =
          assertThrows(
              StoreFullException.class,
              () -> full.put(key(1, "v"), FloatBlock.of(new float[1000])));
      assertTrue(
          e.getMessage().startsWith("file system full writing run/a1/b2/v/1.rwb to fullfs:"),
          e.getMessage());
      assertFalse(full.exists(key(1, "v")));
      assertEquals(FloatBlock.of(new float[500]), full.get(key(0, "v")));
    }
    try (Stream<Path> left = Files.list(fullRoot)) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void aFullTmpfsFailsTheWriteTruncatesThePackAndFreesTheRoom() throws Exception {
    onSmallTmpfs(
        "small-tmpfs",
        small -> {
          try (BlobStore full =
              BlobStores.open(PackTier.local(small, PackTier.DEFAULT_PACK_BYTES))) {
            full.put(key(0, "v"), FloatBlock.of(new float[20_000]));
            long before = Files.size(small.resolve(LocalDiskBlobStoreTest.listFiles(small).get(0)));
            StoreFullException e =
                assertThrows(
                    StoreFullException.class,
                    () -> full.put(key(1, "v"), FloatBlock.of(new float[50_000])));
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
            assertFalse(full.exists(key(1, "v")));
            List<String> packs = LocalDiskBlobStoreTest.listFiles(small);
            assertEquals(1, packs.size(), "" + packs);
            assertEquals(
                before, Files.size(small.resolve(packs.get(0))), "the partial tail is cut");
            assertEquals(FloatBlock.of(new float[20_000]), full.get(key(0, "v")));
            full.put(key(2, "v"), FloatBlock.of(new float[20_000]));
            assertEquals(FloatBlock.of(new float[20_000]), full.get(key(2, "v")));
          }
        });
  }

  @Test
  void aFullTmpfsThroughHadoopsLocalFileSystemFailsWithStoreFullNamingThePack() throws Exception {
    onSmallTmpfs(
        "small-hadoop-tmpfs",
        small -> {
          // Hadoop's local file system throws FSError, an Error, where others throw IOException.
          try (BlobStore full = BlobStores.packs(small.toUri(), new Configuration())) {
            full.put(key(0, "v"), FloatBlock.of(new float[20_000]));
            StoreFullException e =
                assertThrows(
                    StoreFullException.class,
                    () -> {
                      full.put(key(1, "v"), FloatBlock.of(new float[50_000]));
                      full.flush();
                    });
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
            assertTrue(e.getMessage().contains(small + "/rewind-packs_"), e.getMessage());
          }
        });
  }

  /** What a test does with the root of a store on a full-able volume. */
  private interface OnRoot {
    void run(Path root) throws Exception;
  }

  /**
   * Runs {@code body} on a store root inside a real 256 KiB tmpfs mounted beside this test's root,
   * checks the closed store left nothing there, and unmounts; skipped without permission to mount.
   */
  private void onSmallTmpfs(String name, OnRoot body) throws Exception {
    Path mountPoint = root.resolveSibling(name);
    Files.createDirectories(mountPoint);
    assumeTrue(
        LocalDiskBlobStoreTest.run(
            "mount", "-t", "tmpfs", "-o", "size=256k,mode=700", "tmpfs", mountPoint.toString()),
        "needs permission to mount a 256 KiB tmpfs");
    try {
      Path small = mountPoint.resolve("root").toAbsolutePath();
      body.run(small);
      try (Stream<Path> left = Files.list(small)) {
        assertEquals(List.of(), left.toList());
      }
    } finally {
      assertTrue(LocalDiskBlobStoreTest.run("umount", mountPoint.toString()), "umount");
    }
  }
}
