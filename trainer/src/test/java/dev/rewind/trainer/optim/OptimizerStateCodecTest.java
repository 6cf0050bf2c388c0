package dev.rewind.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.CorruptFileException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptimizerStateCodecTest {

  private static OptimizerState sample() {
    Map<String, float[]> buffers = new LinkedHashMap<>();
    // Raw bits matter: a NaN payload and negative zero must survive.
    buffers.put("exp_avg", new float[] {1.5f, -0.0f, Float.intBitsToFloat(0x7fc00123), 3e-42f});
    buffers.put("exp_avg_sq", new float[] {0f, 1f, 2f, Float.MIN_VALUE});
    return new OptimizerState("adam", 123_456_789_012L, buffers);
  }

  @Test
  void roundTripIsExact() throws Exception {
    OptimizerState state = sample();
    OptimizerState decoded =
        OptimizerStateCodec.decode(OptimizerStateCodec.encode(state), "memory");
    assertEquals(state, decoded);
    assertEquals(0x7fc00123, Float.floatToRawIntBits(decoded.buffer("exp_avg")[2]));
    assertEquals(
        Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(decoded.buffer("exp_avg")[1]));
  }

  @Test
  void equalityIsBitwise() {
    OptimizerState zero = new OptimizerState("sgd", 1, Map.of("b", new float[] {0.0f}));
    OptimizerState negativeZero = new OptimizerState("sgd", 1, Map.of("b", new float[] {-0.0f}));
    assertNotEquals(zero, negativeZero);
  }

  @Test
  void snapshotDoesNotAliasItsInputOrOutput() {
    float[] live = {1f};
    OptimizerState state = new OptimizerState("sgd", 0, Map.of("b", live));
    live[0] = 2f;
    state.buffer("b")[0] = 3f;
    state.buffers().get("b")[0] = 4f;
    assertEquals(1f, state.buffer("b")[0]);
  }

  @Test
  void everyFlippedBitIsDetected() {
    byte[] bytes = OptimizerStateCodec.encode(sample());
    for (int i = 0; i < bytes.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] corrupt = bytes.clone();
        corrupt[i] ^= (byte) (1 << bit);
        assertThrows(
            CorruptFileException.class,
            () -> OptimizerStateCodec.decode(corrupt, "state.bin"),
            "byte " + i + " bit " + bit);
      }
    }
  }

  @Test
  void truncationAndTrailingBytesAreDetected() {
    byte[] bytes = OptimizerStateCodec.encode(sample());
    for (int length = 0; length < bytes.length; length++) {
      byte[] shorter = Arrays.copyOf(bytes, length);
      CorruptFileException e =
          assertThrows(
              CorruptFileException.class, () -> OptimizerStateCodec.decode(shorter, "s.bin"));
      assertTrue(e.getMessage().endsWith(" for s.bin"), e.getMessage());
    }
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThrows(CorruptFileException.class, () -> OptimizerStateCodec.decode(longer, "s"));
  }

  @Test
  void wrongMagicIsNamed() {
    byte[] bytes = OptimizerStateCodec.encode(sample());
    bytes[0] = 'X';
    CorruptFileException e =
        assertThrows(
            CorruptFileException.class, () -> OptimizerStateCodec.decode(bytes, "opt.bin"));
    assertEquals(
        "not a Rewind optimizer state (wrong magic): expected=0x52574f53 actual=0x58574f53"
            + " for opt.bin",
        e.getMessage());
  }
}
