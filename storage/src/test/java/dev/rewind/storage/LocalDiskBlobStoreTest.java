package dev.rewind.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rewind.storage.tier.LocalDiskTier;
import dev.rewind.storage.tier.Tier;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LocalDiskBlobStoreTest extends BaseBlobStoreTestCase {
  private Path root;

  @Override
  protected Tier newTier(String name) throws IOException {
    Path base = Path.of("target", "local-tier-test");
    Files.createDirectories(base);
    root = Files.createTempDirectory(base, name).resolve("root");
    return new LocalDiskTier(root, false);
  }

  @Override
  protected List<String> filesUnderRoot() throws IOException {
    return listFiles(root);
  }

  static List<String> listFiles(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private Path fileOf(BlobKey key) {
    return root.resolve(key.relativePath());
  }

  @Test
  void filesAndDirectoriesAreOwnerOnly() throws IOException {
    BlobKey k = key(0, "v");
    store.put(k, FloatBlock.of(1f));
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fileOf(k))));
    for (Path dir = fileOf(k).getParent(); !dir.equals(root.getParent()); dir = dir.getParent()) {
      assertEquals(
          "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), "" + dir);
    }
  }

  @Test
  void truncatedFileOnDisk() throws IOException {
    BlobKey k = key(0, "v");
    store.put(k, FloatBlock.of(new float[64]));
    try (FileChannel ch = FileChannel.open(fileOf(k), StandardOpenOption.WRITE)) {
      ch.truncate(100);
    }
    CorruptFileException e = assertThrows(CorruptFileException.class, () -> store.get(k));
    assertTrue(
        e.getMessage()
            .startsWith(
                "truncated: expected 281 bytes, actual=100 for " + fileOf(k).toAbsolutePath()),
        e.getMessage());
  }

  @Test
  void oneFlippedByteOnDisk() throws IOException {
    BlobKey k = key(0, "v");
    store.put(k, FloatBlock.of(new float[64]));
    byte[] bytes = Files.readAllBytes(fileOf(k));
    bytes[150] ^= 0x01;
    Files.write(fileOf(k), bytes);
    CorruptFileException e = assertThrows(CorruptFileException.class, () -> store.get(k));
    assertTrue(e.getMessage().startsWith("checksum failed: expected=0x"), e.getMessage());
    assertTrue(e.getMessage().contains(fileOf(k).toAbsolutePath().toString()), e.getMessage());
  }

  @Test
  void foreignFileUnderAKey() throws IOException {
    BlobKey k = key(0, "v");
    store.put(k, FloatBlock.of(1f));
    Files.writeString(fileOf(k), "PK\u0003\u0004 a zip file, say", StandardCharsets.ISO_8859_1);
    CorruptFileException e = assertThrows(CorruptFileException.class, () -> store.get(k));
    assertTrue(e.getMessage().startsWith("not a Rewind blob (wrong magic)"), e.getMessage());
  }

  @Test
  void wrongVersionOnDisk() throws IOException {
    BlobKey k = key(0, "v");
    store.put(k, FloatBlock.of(1f));
    byte[] bytes = Files.readAllBytes(fileOf(k));
    bytes[4] = 9;
    Files.write(fileOf(k), bytes);
    UnsupportedFormatVersionException e =
        assertThrows(UnsupportedFormatVersionException.class, () -> store.get(k));
    assertTrue(e.getMessage().startsWith("unsupported format version: expected 1 to 1, actual=9"));
  }

  @Test
  void fileRemovedBehindTheStoresBack() throws IOException {
    BlobKey k = key(0, "v");
    store.put(k, FloatBlock.of(1f));
    Files.delete(fileOf(k));
    BlobNotFoundException e = assertThrows(BlobNotFoundException.class, () -> store.get(k));
    assertEquals("blob not found: " + fileOf(k).toAbsolutePath(), e.getMessage());
  }

  @Test
  void aTemporaryFileLeftByACrashIsNeverABlob() throws IOException {
    BlobKey k = key(3, "v");
    store.put(key(0, "v"), FloatBlock.of(1f));
    Path dir = fileOf(k).getParent();
    Files.write(dir.resolve(".3.rwb.123-abc.tmp"), new byte[] {1, 2, 3});
    assertFalse(store.exists(k));
    assertThrows(BlobNotFoundException.class, () -> store.get(k));
    Files.delete(dir.resolve(".3.rwb.123-abc.tmp"));
  }

  @Test
  void aFullTmpfsFailsTheWriteAndLeavesNothingVisible() throws Exception {
    Path mountPoint = root.resolveSibling("small-tmpfs");
    Files.createDirectories(mountPoint);
    assumeTrue(
        run("mount", "-t", "tmpfs", "-o", "size=256k,mode=700", "tmpfs", mountPoint.toString()),
        "needs permission to mount a 256 KiB tmpfs");
    try {
      Path small = mountPoint.resolve("root").toAbsolutePath();
      try (BlobStore full = BlobStores.localDisk(small)) {
        full.put(key(0, "v"), FloatBlock.of(new float[20_000]));
        StoreFullException e =
            assertThrows(
                StoreFullException.class,
                () -> full.put(key(1, "v"), FloatBlock.of(new float[50_000])));
        assertTrue(e.getMessage().startsWith("local disk full writing " + small), e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertFalse(full.exists(key(1, "v")));
        assertEquals(List.of(key(0, "v").relativePath()), listFiles(small));
        assertEquals(FloatBlock.of(new float[20_000]), full.get(key(0, "v")));
      }
      assertEquals(List.of(), listFiles(small));
    } finally {
      assertTrue(run("umount", mountPoint.toString()), "umount " + mountPoint);
    }
  }

  static boolean run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor() == 0;
  }

  @Test
  void aDirectoryRemovedByAnotherStoreSharingTheRootIsCreatedAgain() throws IOException {
    BlobKey theirs = new BlobKey("run", 1, 2, 0, "w");
    BlobKey mine = new BlobKey("run", 1, 2, 1, "w");
    try (BlobStore other = BlobStores.localDisk(root)) {
      other.put(theirs, IntBlock.of(1));
      store.put(mine, IntBlock.of(2));
      store.delete(mine);
      other.close();
      assertFalse(Files.exists(fileOf(mine).getParent()), "the other store removed run/a1/b2/w");
      store.put(mine, IntBlock.of(3));
      assertEquals(IntBlock.of(3), store.get(mine));
    }
  }

  @Test
  void closeLeavesFilesItDidNotWrite() throws IOException {
    store.put(key(0, "v"), FloatBlock.of(1f));
    Path foreign = fileOf(key(0, "v")).resolveSibling("someone-elses.bin");
    Files.write(foreign, new byte[] {1});
    store.close();
    assertTrue(Files.exists(foreign));
    assertFalse(Files.exists(fileOf(key(0, "v"))));
    Files.delete(foreign);
  }
}
