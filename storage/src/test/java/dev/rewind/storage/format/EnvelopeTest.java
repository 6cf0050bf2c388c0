package dev.rewind.storage.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.CorruptFileException;
import dev.rewind.storage.UnsupportedFormatVersionException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
  private static final Envelope.Format BIG =
      new Envelope.Format("RWXT", "test record", 2, 3, ByteOrder.BIG_ENDIAN, false);
  private static final Envelope.Format LITTLE =
      new Envelope.Format("RWXL", "test blob", 1, 1, ByteOrder.LITTLE_ENDIAN, true);

  private static byte[] sample(Envelope.Format format) {
    return Envelope.write(
        format,
        out -> {
          out.writeUTF("hello");
          out.writeLong(42);
        });
  }

  private static String readBack(Envelope.Format format, byte[] image) throws Exception {
    return Envelope.read(
        format,
        image,
        "/runs/x.bin",
        (in, version) -> in.readUTF() + in.readLong() + "v" + version);
  }

  @Test
  void layoutIsTagVersionBodyFooter() throws Exception {
    byte[] image = sample(BIG);
    assertEquals("RWXT", new String(image, 0, 4, "US-ASCII"));
    assertEquals(3, ByteBuffer.wrap(image).getShort(4));
    assertEquals(Envelope.HEADER_LENGTH + 2 + 5 + 8 + 4, image.length);
    assertEquals("hello42v3", readBack(BIG, image));

    byte[] little = sample(LITTLE);
    assertEquals("RWXL", new String(little, 0, 4, "US-ASCII"));
    ByteBuffer in = ByteBuffer.wrap(little).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(1, in.getShort(4));
    assertEquals(~LITTLE.magic(), in.getInt(little.length - 8));
    assertEquals("hello42v1", readBack(LITTLE, little));
  }

  @Test
  void everyBitFlipAndEveryTruncationIsNamed() {
    for (Envelope.Format format : new Envelope.Format[] {BIG, LITTLE}) {
      byte[] image = sample(format);
      for (int i = 0; i < image.length; i++) {
        for (int bit = 0; bit < 8; bit++) {
          byte[] damaged = image.clone();
          damaged[i] ^= (byte) (1 << bit);
          CorruptFileException e =
              assertThrows(CorruptFileException.class, () -> readBack(format, damaged));
          assertTrue(e.getMessage().endsWith(" for /runs/x.bin"), e.getMessage());
        }
      }
      for (int length = 0; length < image.length; length++) {
        byte[] cut = Arrays.copyOf(image, length);
        assertThrows(CorruptFileException.class, () -> readBack(format, cut), "length " + length);
      }
    }
  }

  @Test
  void messagesSayWhatWasExpectedAndWhatWasFound() {
    byte[] other = sample(LITTLE);
    CorruptFileException magic =
        assertThrows(CorruptFileException.class, () -> readBack(BIG, other));
    assertEquals(
        "not a Rewind test record (wrong magic): expected=0x52575854 actual=0x5257584c"
            + " for /runs/x.bin",
        magic.getMessage());

    byte[] old = sample(BIG);
    ByteBuffer.wrap(old).putShort(4, (short) 1);
    Envelope.writeFooter(ByteBuffer.wrap(old), BIG);
    UnsupportedFormatVersionException version =
        assertThrows(UnsupportedFormatVersionException.class, () -> readBack(BIG, old));
    assertEquals(
        "unsupported format version: expected 2 to 3, actual=1 for /runs/x.bin",
        version.getMessage());

    byte[] flipped = sample(BIG);
    flipped[8] ^= 1;
    assertTrue(
        assertThrows(CorruptFileException.class, () -> readBack(BIG, flipped))
            .getMessage()
            .matches("checksum failed: expected=0x\\p{XDigit}{8} actual=0x\\p{XDigit}{8} for .*"));

    byte[] longer =
        Envelope.write(
            BIG,
            out -> {
              out.writeUTF("hello");
              out.writeLong(42);
              out.writeByte(7);
            });
    assertEquals(
        "test record: expected end of data, got 1 trailing bytes for /runs/x.bin",
        assertThrows(CorruptFileException.class, () -> readBack(BIG, longer)).getMessage());

    byte[] shorter = Envelope.write(BIG, out -> out.writeUTF("hello"));
    assertEquals(
        "test record: truncated body for /runs/x.bin",
        assertThrows(CorruptFileException.class, () -> readBack(BIG, shorter)).getMessage());
  }

  @Test
  void aTagMustBeFourAsciiCharacters() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Envelope.Format("RWX", "x", 1, 1, ByteOrder.BIG_ENDIAN, false));
    assertEquals("format tag: expected 4 ASCII characters, got RWX", e.getMessage());
  }
}
