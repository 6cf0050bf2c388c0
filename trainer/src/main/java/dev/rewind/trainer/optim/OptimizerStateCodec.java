package dev.rewind.trainer.optim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Encodes an {@link OptimizerState} as bytes and back, exactly: floats travel as their raw bits.
 *
 * <p>Layout (big-endian, as {@link DataOutputStream} writes): magic {@code "RWOS"}, format version
 * (short, 1), algorithm (modified UTF-8), step (long), buffer count (int), then per buffer its name
 * (modified UTF-8), length (int) and raw float bits (int each); last, the CRC32C of everything
 * before it (int). A wrong magic, an unknown version, a short or over-long input or a checksum
 * mismatch is a {@link StreamCorruptedException} naming the problem.
 */
public final class OptimizerStateCodec {

  private static final int MAGIC = 0x52574F53; // "RWOS"
  private static final short VERSION = 1;

  private OptimizerStateCodec() {}

  /** Returns the bytes of {@code state}. */
  public static byte[] encode(OptimizerState state) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeShort(VERSION);
      out.writeUTF(state.algorithm());
      out.writeLong(state.step());
      Map<String, float[]> buffers = state.buffers();
      out.writeInt(buffers.size());
      for (Map.Entry<String, float[]> e : buffers.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue().length);
        for (float f : e.getValue()) {
          out.writeInt(Float.floatToRawIntBits(f));
        }
      }
      CRC32C crc = new CRC32C();
      crc.update(bytes.toByteArray());
      out.writeInt((int) crc.getValue());
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  /**
   * Returns the state encoded in {@code bytes}.
   *
   * @param source names the bytes' origin in error messages, as a file path
   * @throws StreamCorruptedException if the bytes are not a complete, intact encoding
   */
  public static OptimizerState decode(byte[] bytes, String source) throws IOException {
    if (bytes.length < 4) {
      throw corrupt(source, "expected at least 4 bytes, got " + bytes.length);
    }
    int bodyLength = bytes.length - 4;
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bodyLength);
    int stored =
        ((bytes[bodyLength] & 0xff) << 24)
            | ((bytes[bodyLength + 1] & 0xff) << 16)
            | ((bytes[bodyLength + 2] & 0xff) << 8)
            | (bytes[bodyLength + 3] & 0xff);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bodyLength))) {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw corrupt(source, String.format("expected magic 0x%08x, got 0x%08x", MAGIC, magic));
      }
      short version = in.readShort();
      if (version != VERSION) {
        throw corrupt(source, "expected format version " + VERSION + ", got " + version);
      }
      if ((int) crc.getValue() != stored) {
        throw corrupt(
            source,
            String.format(
                "checksum failed: expected=0x%08x actual=0x%08x", stored, (int) crc.getValue()));
      }
      String algorithm = in.readUTF();
      long step = in.readLong();
      int count = in.readInt();
      Map<String, float[]> buffers = new LinkedHashMap<>();
      for (int b = 0; b < count; b++) {
        String name = in.readUTF();
        int length = in.readInt();
        if (length < 0 || (long) length * 4 > in.available()) {
          throw corrupt(
              source,
              "buffer '"
                  + name
                  + "': expected length <= "
                  + in.available() / 4
                  + ", got "
                  + length);
        }
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
          values[i] = Float.intBitsToFloat(in.readInt());
        }
        buffers.put(name, values);
      }
      if (in.available() != 0) {
        throw corrupt(source, "expected end of data, got " + in.available() + " trailing bytes");
      }
      return new OptimizerState(algorithm, step, buffers);
    } catch (EOFException e) {
      throw corrupt(source, "truncated: unexpected end of data");
    } catch (IllegalArgumentException e) {
      throw corrupt(source, e.getMessage());
    }
  }

  private static StreamCorruptedException corrupt(String source, String problem) {
    return new StreamCorruptedException("optimizer state " + source + ": " + problem);
  }
}
