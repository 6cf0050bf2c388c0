package dev.rewind.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The optimizer-state format as written on 2026-12-03 (commit 202a17f, version 1): a file of that
 * code must keep reading, and today's encoder must keep writing exactly its bytes. A deliberate
 * format change adds a new golden file and keeps this one readable.
 */
class OptimizerStateGoldenTest {
  private static final String FILE = "golden/adam-step7-v1.bin";

  /** Adam after 7 steps on 3 parameters, with a negative zero and a subnormal among the moments. */
  static OptimizerState expected() {
    Map<String, float[]> buffers = new LinkedHashMap<>();
    buffers.put("m", new float[] {0.125f, -0.0f, -3.5e-3f});
    buffers.put("v", new float[] {1.0e-8f, Float.MIN_VALUE, 2.25f});
    return new OptimizerState("adam", 7, buffers);
  }

  @Test
  void readsTheFileOfVersionOne() throws IOException {
    OptimizerState read = OptimizerStateCodec.decode(golden(), FILE);
    OptimizerState want = expected();
    assertEquals(want.algorithm(), read.algorithm());
    assertEquals(want.step(), read.step());
    assertEquals(want.buffers().keySet(), read.buffers().keySet());
    for (String name : want.buffers().keySet()) {
      assertArrayEquals(want.buffers().get(name), read.buffers().get(name), name);
    }
  }

  @Test
  void writesTheBytesOfVersionOne() throws IOException {
    assertArrayEquals(golden(), OptimizerStateCodec.encode(expected()));
  }

  private static byte[] golden() throws IOException {
    try (InputStream in = OptimizerStateGoldenTest.class.getResourceAsStream(FILE)) {
      return in.readAllBytes();
    }
  }
}
