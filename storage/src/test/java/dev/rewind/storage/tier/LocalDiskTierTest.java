package dev.rewind.storage.tier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.CorruptBlobException;
import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.format.BlobCodec;
import dev.rewind.storage.format.FloatCompression;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The local disk tier's own mechanics: pooled read buffers. */
class LocalDiskTierTest {
  private static final long SEED = Long.getLong("rewind.seed", 42L);
  private static final int MAX_BUFFER = 1 << 20;

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
    tier = new LocalDiskTier(root.resolve("root"), false, buffers);
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
    CorruptBlobException e =
        assertThrows(CorruptBlobException.class, () -> readFloats("r/small.rwb", into));
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
    assertThrows(
        dev.rewind.storage.BlobNotFoundException.class,
        () -> tier.read("r/none.rwb", ByteBuffer::limit));
    assertEquals(0, buffers.idleCount());
  }
}
