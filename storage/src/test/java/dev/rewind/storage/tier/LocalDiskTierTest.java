package dev.rewind.storage.tier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.BlobNotFoundException;
import dev.rewind.storage.CorruptFileException;
import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.format.BlobCodec;
import dev.rewind.storage.format.FloatCompression;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The local disk tier's own mechanics: pooled read buffers, recycled files. */
class LocalDiskTierTest {
  private static final long SEED = Long.getLong("rewind.seed", 42L);
  private static final int MAX_BUFFER = 1 << 20;
  private static final long RECYCLE_BYTES = 1 << 20;

  private final BlobCodec codec = new BlobCodec(FloatCompression.NONE);
  private Path root;
  private DirectBufferPool buffers;
  private LocalDiskTier tier;

  @BeforeEach
  void open(TestInfo info) throws IOException {
    Path base = Path.of("target", "local-disk-tier-test");
    Files.createDirectories(base);
    root = Files.createTempDirectory(base, info.getTestMethod().orElseThrow().getName());
    buffers = new DirectBufferPool(MAX_BUFFER, 4 * MAX_BUFFER);
    tier = new LocalDiskTier(root.resolve("root"), false, RECYCLE_BYTES, buffers);
    System.out.println("LocalDiskTierTest seed=" + SEED + " (replay: -Drewind.seed=" + SEED + ")");
  }

  @AfterEach
  void close() throws IOException {
    tier.close();
  }

  private static float[] values(int n, Random random) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  private float[] readFloats(String path, float[] into) throws IOException {
    return tier.read(path, image -> codec.decodeFloats(image, tier.location(path), into));
  }

  @Test
  void aSmallBlobReadAfterALargerOneInTheSameBufferIsExact() throws IOException {
    Random random = new Random(SEED);
    float[] large = values(200_000, random);
    float[] small = values(10, random);
    tier.write("r/large.rwb", codec.encode(FloatBlock.of(large)));
    tier.write("r/small.rwb", codec.encode(FloatBlock.of(small)));
    assertArrayEquals(large, readFloats("r/large.rwb", null));
    assertEquals(1, buffers.idleCount());
    float[] into = new float[10];
    assertSame(into, readFloats("r/small.rwb", into));
    assertArrayEquals(small, into);
    assertEquals(1, buffers.idleCount());
  }

  @Test
  void aTruncatedFileReadAfterALargerOneNeverSeesTheBuffersOldBytes() throws IOException {
    Random random = new Random(SEED);
    float[] large = values(200_000, random);
    tier.write("r/large.rwb", codec.encode(FloatBlock.of(large)));
    tier.write("r/small.rwb", codec.encode(FloatBlock.of(values(100, random))));
    readFloats("r/large.rwb", null);
    try (FileChannel ch =
        FileChannel.open(root.resolve("root/r/small.rwb"), StandardOpenOption.WRITE)) {
      ch.truncate(300);
    }
    float[] into = new float[100];
    CorruptFileException e =
        assertThrows(CorruptFileException.class, () -> readFloats("r/small.rwb", into));
    assertTrue(
        e.getMessage().startsWith("truncated: expected 425 bytes, actual=300"), e.getMessage());
    assertArrayEquals(new float[100], into);
  }

  @Test
  void anImageLargerThanTheBuffersIsReadIntoAnArray() throws IOException {
    float[] huge = values(300_000, new Random(SEED));
    tier.write("r/huge.rwb", codec.encode(FloatBlock.of(huge)));
    boolean[] direct = new boolean[1];
    float[] read =
        tier.read(
            "r/huge.rwb",
            image -> {
              direct[0] = image.isDirect();
              return codec.decodeFloats(image, "huge", null);
            });
    assertFalse(direct[0]);
    assertArrayEquals(huge, read);
    assertEquals(0, buffers.idleCount());
  }

  @Test
  void theBufferHoldsExactlyTheFilesBytes() throws IOException {
    Random random = new Random(SEED);
    for (int round = 0; round < 20; round++) {
      byte[] image = new byte[random.nextInt(300_000)];
      random.nextBytes(image);
      String path = "r/" + round + ".rwb";
      tier.write(path, image.clone());
      byte[] seen =
          tier.read(
              path,
              buffer -> {
                byte[] copy = new byte[buffer.limit()];
                buffer.duplicate().position(0).get(copy);
                return copy;
              });
      assertArrayEquals(image, seen, "round " + round + ", " + image.length + " bytes");
      assertArrayEquals(image, tier.read(path));
    }
  }

  @Test
  void aMissingFileIsNotFoundAndKeepsNoBuffer() throws IOException {
    assertThrows(BlobNotFoundException.class, () -> tier.read("r/none.rwb", ByteBuffer::limit));
    assertEquals(0, buffers.idleCount());
  }

  private Path fileOf(String path) {
    return root.resolve("root").resolve(path);
  }

  @Test
  void aRecycledFileNeverExposesItsOldBlob() throws IOException {
    Random random = new Random(SEED);
    float[] old = values(100_000, random);
    float[] fresh = values(10, random);
    tier.write("r/old.rwb", codec.encode(FloatBlock.of(old)));
    assertTrue(tier.delete("r/old.rwb"));
    assertEquals(1, tier.recycledFiles());
    assertFalse(tier.exists("r/old.rwb"));
    assertThrows(BlobNotFoundException.class, () -> tier.read("r/old.rwb"));
    byte[] image = codec.encode(FloatBlock.of(fresh));
    tier.write("r/fresh.rwb", image.clone());
    assertEquals(0, tier.recycledFiles());
    assertEquals(image.length, Files.size(fileOf("r/fresh.rwb")));
    assertArrayEquals(image, tier.read("r/fresh.rwb"));
    assertArrayEquals(fresh, readFloats("r/fresh.rwb", null));
    assertFalse(tier.exists("r/old.rwb"));
  }

  @Test
  void aLargerBlobOverwritesASmallerRecycledFile() throws IOException {
    Random random = new Random(SEED);
    tier.write("r/a.rwb", codec.encode(FloatBlock.of(values(10, random))));
    tier.delete("r/a.rwb");
    float[] large = values(50_000, random);
    tier.write("r/b.rwb", codec.encode(FloatBlock.of(large)));
    assertEquals(0, tier.recycledFiles());
    assertArrayEquals(large, readFloats("r/b.rwb", null));
  }

  @Test
  void aFileBeingReadIsDeletedNotRecycled() throws IOException {
    tier.write("r/a.rwb", codec.encode(FloatBlock.of(1f, 2f)));
    float[] read =
        tier.read(
            "r/a.rwb",
            image -> {
              assertTrue(tier.delete("r/a.rwb"));
              return codec.decodeFloats(image, "a", null);
            });
    assertArrayEquals(new float[] {1f, 2f}, read);
    assertEquals(0, tier.recycledFiles());
    assertFalse(tier.exists("r/a.rwb"));
  }

  @Test
  void theRecycleBudgetBoundsTheKeptBytes() throws IOException {
    Random random = new Random(SEED);
    for (int i = 0; i < 3; i++) {
      tier.write("r/" + i + ".rwb", codec.encode(FloatBlock.of(values(100_000, random))));
    }
    for (int i = 0; i < 3; i++) {
      assertTrue(tier.delete("r/" + i + ".rwb"));
    }
    assertEquals(2, tier.recycledFiles());
    try (LocalDiskTier off = new LocalDiskTier(root.resolve("off"), false, 0, buffers)) {
      off.write("r/a.rwb", new byte[] {1});
      assertTrue(off.delete("r/a.rwb"));
      assertEquals(0, off.recycledFiles());
    }
  }

  @Test
  void filesChangedBehindTheTiersBackAreNotRecycled() throws IOException {
    tier.write("r/open.rwb", new byte[] {1, 2, 3});
    Files.setPosixFilePermissions(
        fileOf("r/open.rwb"), PosixFilePermissions.fromString("rw-r--r--"));
    assertTrue(tier.delete("r/open.rwb"));
    Path outside = root.resolve("outside.txt");
    Files.write(outside, new byte[] {42});
    tier.write("r/link.rwb", new byte[] {1, 2, 3});
    Files.delete(fileOf("r/link.rwb"));
    Files.createSymbolicLink(fileOf("r/link.rwb"), outside);
    assertTrue(tier.delete("r/link.rwb"));
    assertEquals(0, tier.recycledFiles());
    tier.write("r/next.rwb", new byte[] {7, 7, 7, 7});
    assertArrayEquals(new byte[] {42}, Files.readAllBytes(outside));
    try (Stream<Path> files = Files.walk(root.resolve("root"))) {
      assertEquals(List.of(fileOf("r/next.rwb")), files.filter(Files::isRegularFile).toList());
    }
  }

  @Test
  void closeRemovesRecycledFilesAndTheirDirectory() throws IOException {
    tier.write("r/a.rwb", new byte[] {1, 2, 3});
    tier.write("r/b.rwb", new byte[] {1, 2, 3});
    tier.delete("r/a.rwb");
    assertEquals(1, tier.recycledFiles());
    tier.close();
    assertEquals(List.of(), listFiles(root));
  }

  @Test
  void rejectsANegativeRecycleBudget() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LocalDiskTier(root.resolve("bad"), false, -1));
    assertEquals("local disk tier: expected recycleBytes >= 0, got -1", e.getMessage());
  }

  @Test
  void concurrentReadsDeletesAndRewritesNeverReturnAnotherKeysBlob() throws Exception {
    int keys = 6;
    byte[][] images = new byte[keys][];
    for (int k = 0; k < keys; k++) {
      float[] v = new float[4096];
      Arrays.fill(v, k);
      images[k] = codec.encode(FloatBlock.of(v));
    }
    long deadline = System.nanoTime() + 1_500_000_000L;
    ExecutorService threads = Executors.newFixedThreadPool(3);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      results.add(
          threads.submit(
              () -> {
                Random random = new Random(SEED);
                int writes = 0;
                while (System.nanoTime() < deadline) {
                  int k = random.nextInt(keys);
                  tier.write("c/" + k + ".rwb", images[k].clone());
                  tier.delete("c/" + random.nextInt(keys) + ".rwb");
                  writes++;
                }
                return writes;
              }));
      for (int t = 0; t < 2; t++) {
        long seed = SEED + 1 + t;
        results.add(
            threads.submit(
                () -> {
                  Random random = new Random(seed);
                  int found = 0;
                  while (System.nanoTime() < deadline) {
                    int k = random.nextInt(keys);
                    try {
                      float[] v = readFloats("c/" + k + ".rwb", null);
                      for (float x : v) {
                        assertEquals(k, x, "key " + k);
                      }
                      found++;
                    } catch (BlobNotFoundException e) {
                      // Deleted meanwhile: allowed.
                    }
                  }
                  return found;
                }));
      }
      for (Future<Integer> result : results) {
        assertTrue(result.get(60, TimeUnit.SECONDS) > 0);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void imagesEncodedIntoTheTiersBufferMatchArrayImagesAfterALargerOne() throws IOException {
    Random random = new Random(SEED);
    for (int n : new int[] {100_000, 10, 0, 5000}) {
      FloatBlock blob = FloatBlock.of(values(n, random));
      byte[] expected = codec.encode(blob);
      String path = "w/" + n + ".rwb";
      tier.write(path, (int) codec.directLength(blob), image -> codec.encodeInto(blob, image));
      assertArrayEquals(expected, Files.readAllBytes(fileOf(path)), n + " floats");
      assertArrayEquals(blob.data(), readFloats(path, null));
    }
    assertEquals(1, buffers.idleCount());
  }

  @Test
  void aFailingWriterLeavesNothingVisible() throws IOException {
    tier.write("w/a.rwb", new byte[] {1, 2});
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                tier.write(
                    "w/a.rwb",
                    10,
                    image -> {
                      throw new IOException("encoder failed");
                    }));
    assertEquals("encoder failed", e.getMessage());
    assertArrayEquals(new byte[] {1, 2}, tier.read("w/a.rwb"));
    try (Stream<Path> files = Files.walk(root.resolve("root"))) {
      assertEquals(List.of(fileOf("w/a.rwb")), files.filter(Files::isRegularFile).toList());
    }
    assertThrows(IllegalArgumentException.class, () -> tier.write("w/b.rwb", -1, image -> {}));
  }

  @Test
  void anImageLargerThanTheBuffersIsWrittenFromAnArray() throws IOException {
    FloatBlock blob = FloatBlock.of(values(300_000, new Random(SEED)));
    tier.write(
        "w/huge.rwb", (int) codec.directLength(blob), image -> codec.encodeInto(blob, image));
    assertArrayEquals(codec.encode(blob), Files.readAllBytes(fileOf("w/huge.rwb")));
    assertEquals(0, buffers.idleCount());
  }

  /** Every file and directory under {@code dir}, relative to it. */
  private static List<String> listFiles(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths
          .filter(p -> !p.equals(dir))
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .toList();
    }
  }
}
