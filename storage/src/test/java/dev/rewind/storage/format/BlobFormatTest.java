package dev.rewind.storage.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.Blob;
import dev.rewind.storage.ByteBlock;
import dev.rewind.storage.CorruptFileException;
import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.IntBlock;
import dev.rewind.storage.SparseFloats;
import dev.rewind.storage.UnsupportedFormatVersionException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every kind of damage to a blob image is an error that names the location, never data. */
class BlobFormatTest {
  private static final long SEED = Long.getLong("rewind.seed", 20261123L);
  private final BlobCodec codec = new BlobCodec(FloatCompression.NONE);

  private static List<Blob> samples() {
    Random random = new Random(SEED);
    float[] floats = new float[37];
    for (int i = 0; i < floats.length; i++) {
      floats[i] = (float) random.nextGaussian();
    }
    return List.of(
        new FloatBlock(new int[] {37}, floats),
        IntBlock.of(1, -2, 3, Integer.MAX_VALUE),
        new ByteBlock(new byte[] {9, 8, 7}),
        new SparseFloats(100, new int[] {3, 50, 99}, new float[] {1f, -0f, Float.NaN}),
        SpikeCodecPropertyTest.randomFrame(4, 50, 0.05, SEED),
        SpikeCodecPropertyTest.randomFrame(4, 50, 0.3, SEED),
        SpikeCodecPropertyTest.randomFrame(4, 500, 0.004, SEED));
  }

  @Test
  void everyBitFlipIsDetected() throws Exception {
    System.out.println("BlobFormatTest seed=" + SEED + " (replay with -Drewind.seed=" + SEED + ")");
    for (Blob blob : samples()) {
      byte[] image = codec.encode(blob);
      assertEquals(blob, codec.decode(image, "clean"));
      for (int i = 0; i < image.length; i++) {
        for (int bit = 0; bit < 8; bit++) {
          byte[] damaged = image.clone();
          damaged[i] ^= (byte) (1 << bit);
          CorruptFileException e =
              assertThrows(
                  CorruptFileException.class,
                  () -> codec.decode(damaged, "mem://x"),
                  blob + " byte " + i + " bit " + bit);
          assertTrue(e.getMessage().endsWith("for mem://x"), e.getMessage());
        }
      }
    }
  }

  @Test
  void everyTruncationIsDetected() throws Exception {
    for (Blob blob : samples()) {
      byte[] image = codec.encode(blob);
      for (int length = 0; length < image.length; length++) {
        byte[] cut = Arrays.copyOf(image, length);
        CorruptFileException e =
            assertThrows(CorruptFileException.class, () -> codec.decode(cut, "mem://t"));
        assertTrue(e.getMessage().endsWith("for mem://t"), e.getMessage());
      }
    }
  }

  @Test
  void checksumMismatchSaysExpectedAndActual() throws Exception {
    byte[] image = codec.encode(IntBlock.of(1, 2, 3, 4));
    image[image.length - 10] ^= 0x40;
    CorruptFileException e =
        assertThrows(CorruptFileException.class, () -> codec.decode(image, "/data/x.rwb"));
    assertTrue(
        e.getMessage()
            .matches(
                "checksum failed: expected=0x\\p{XDigit}{8} actual=0x\\p{XDigit}{8}"
                    + " for /data/x.rwb"),
        e.getMessage());
  }

  @Test
  void foreignFileIsRejectedByMagic() {
    byte[] foreign = "just some text file, not a blob at all".getBytes(StandardCharsets.UTF_8);
    CorruptFileException e =
        assertThrows(CorruptFileException.class, () -> codec.decode(foreign, "/data/f"));
    assertTrue(
        e.getMessage().startsWith("not a Rewind blob (wrong magic): expected=0x444e5752 actual="),
        e.getMessage());
  }

  @Test
  void otherVersionsAreRejectedEvenWithAValidChecksum() {
    for (int version : new int[] {0, BlobFormat.VERSION_CURRENT + 1, 0xFFFF}) {
      byte[] image = codec.encode(IntBlock.of(5, 6));
      BlobFormat.forgeVersion(image, version);
      UnsupportedFormatVersionException e =
          assertThrows(
              UnsupportedFormatVersionException.class, () -> codec.decode(image, "/data/v"));
      assertEquals(
          "unsupported format version: expected 1 to 1, actual=" + version + " for /data/v",
          e.getMessage());
    }
  }

  @Test
  void trailingBytesAreRejected() {
    byte[] image = Arrays.copyOf(codec.encode(IntBlock.of(5, 6)), 40);
    CorruptFileException e =
        assertThrows(CorruptFileException.class, () -> codec.decode(image, "/data/t"));
    assertTrue(e.getMessage().startsWith("trailing bytes"), e.getMessage());
  }

  @Test
  void aCodecThatDoesNotFitTheKindIsRejected() {
    byte[] image = codec.encode(IntBlock.of(5, 6));
    image[7] = (byte) PayloadCodec.GOLOMB.id();
    BlobFormat.writeFooter(image);
    CorruptFileException e =
        assertThrows(CorruptFileException.class, () -> codec.decode(image, "/data/c"));
    assertTrue(e.getMessage().contains("not valid for kind INTS"), e.getMessage());
  }

  @Test
  void aPayloadThatDoesNotDecodeIsCorruptNotGarbage() {
    byte[] image = codec.encode(SpikeCodecPropertyTest.randomFrame(2, 30, 0.1, SEED));
    image[BlobFormat.headerLength(2)] = 120;
    BlobFormat.writeFooter(image);
    CorruptFileException e =
        assertThrows(CorruptFileException.class, () -> codec.decode(image, "/data/s"));
    assertTrue(e.getMessage().startsWith("invalid payload of kind SPIKES"), e.getMessage());
  }
}
