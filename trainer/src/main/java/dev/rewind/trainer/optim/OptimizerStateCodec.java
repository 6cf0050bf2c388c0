package dev.rewind.trainer.optim;

import dev.rewind.storage.CorruptFileException;
import dev.rewind.storage.format.Envelope;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encodes an {@link OptimizerState} as bytes and back, exactly: floats travel as their raw bits.
 *
 * <p>An {@link Envelope} of format {@link #FORMAT} (tag {@code "RWOS"}, version 1, big-endian)
 * around: algorithm (modified UTF-8), step (long), buffer count (int), then per buffer its name
 * (modified UTF-8), length (int) and raw float bits (int each). A wrong tag, an unknown version, a
 * short or over-long input or a checksum mismatch is a {@link CorruptFileException} naming the
 * problem.
 */
public final class OptimizerStateCodec {

  static final Envelope.Format FORMAT =
      new Envelope.Format("RWOS", "optimizer state", 1, 1, ByteOrder.BIG_ENDIAN, false);

  private OptimizerStateCodec() {}

  /** Returns the bytes of {@code state}. */
  public static byte[] encode(OptimizerState state) {
    return Envelope.write(FORMAT, out -> writeBody(state, out));
  }

  /**
   * Returns the state encoded in {@code bytes}.
   *
   * @param source names the bytes' origin in error messages, as a file path
   * @throws CorruptFileException if the bytes are not a complete, intact encoding
   */
  public static OptimizerState decode(byte[] bytes, String source) throws IOException {
    return Envelope.read(FORMAT, bytes, source, (in, version) -> readBody(in, source));
  }

  private static void writeBody(OptimizerState state, DataOutputStream out) throws IOException {
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
  }

  private static OptimizerState readBody(DataInputStream in, String source) throws IOException {
    String algorithm = in.readUTF();
    long step = in.readLong();
    int count = in.readInt();
    Map<String, float[]> buffers = new LinkedHashMap<>();
    for (int b = 0; b < count; b++) {
      String name = in.readUTF();
      int length = in.readInt();
      if (length < 0 || (long) length * 4 > in.available()) {
        throw new CorruptFileException(
            source,
            FORMAT.name()
                + " buffer '"
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
    try {
      return new OptimizerState(algorithm, step, buffers);
    } catch (IllegalArgumentException e) {
      throw new CorruptFileException(source, FORMAT.name() + ": " + e.getMessage(), e);
    }
  }
}
