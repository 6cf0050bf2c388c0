package dev.rewind.trainer.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

  @TempDir Path dir;

  /** Returns a golden file written by numpy.save (see golden/generate_golden.py). */
  static byte[] golden(String name) throws IOException {
    try (InputStream in = NpyTest.class.getResourceAsStream("golden/" + name)) {
      if (in == null) {
        throw new IOException("missing test resource golden/" + name);
      }
      return in.readAllBytes();
    }
  }

  private Path goldenFile(String name) throws IOException {
    return Files.write(dir.resolve(name), golden(name));
  }

  @Test
  void readsNumpyGoldenFiles() throws IOException {
    assertEquals(
        new FloatTensor(new int[] {2, 3}, new float[] {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f}),
        Npy.read(goldenFile("f4_2x3.npy")));
    assertEquals(
        IntTensor.vector(Integer.MIN_VALUE, -1, 0, 7, Integer.MAX_VALUE),
        Npy.readInt(goldenFile("i4_vector.npy")));
    assertEquals(
        new FloatTensor(new int[] {}, new float[] {3.25f}), Npy.read(goldenFile("f4_scalar.npy")));
    assertEquals(
        new FloatTensor(new int[] {0, 4}, new float[0]), Npy.read(goldenFile("f4_empty_0x4.npy")));
    assertEquals(FloatTensor.vector(1.5f, -2.0f, 1e-30f), Npy.readFloat(goldenFile("f4_v2_3.npy")));
  }

  @Test
  void writesExactlyWhatNumpyWrites() throws IOException {
    FloatTensor matrix =
        new FloatTensor(new int[] {2, 3}, new float[] {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f});
    assertArrayEquals(golden("f4_2x3.npy"), Npy.encode(matrix));
    assertArrayEquals(
        golden("i4_vector.npy"),
        Npy.encode(IntTensor.vector(Integer.MIN_VALUE, -1, 0, 7, Integer.MAX_VALUE)));
    assertArrayEquals(
        golden("f4_scalar.npy"), Npy.encode(new FloatTensor(new int[] {}, new float[] {3.25f})));
    assertArrayEquals(
        golden("f4_empty_0x4.npy"), Npy.encode(new FloatTensor(new int[] {0, 4}, new float[0])));

    Path file = dir.resolve("matrix.npy");
    Npy.write(file, matrix);
    assertArrayEquals(golden("f4_2x3.npy"), Files.readAllBytes(file));
  }

  @Test
  void roundTripsRandomArraysThroughFilesAndBytes() throws IOException {
    long seed = Long.getLong("rewind.test.seed", System.nanoTime());
    System.out.println("NpyTest.roundTrips: seed " + seed);
    Random random = new Random(seed);
    for (int trial = 0; trial < 30; trial++) {
      int[] shape = new int[random.nextInt(5)];
      for (int d = 0; d < shape.length; d++) {
        shape[d] = random.nextInt(7);
      }
      int n = (int) TensorShapes.elementCount(shape);
      NpyArray array;
      if (random.nextBoolean()) {
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
          data[i] = Float.intBitsToFloat(random.nextInt());
        }
        array = new FloatTensor(shape, data);
      } else {
        array = new IntTensor(shape, random.ints(n).toArray());
      }
      Path file = dir.resolve("t" + trial + ".npy");
      Npy.write(file, array);
      assertEquals(array, Npy.read(file), "seed " + seed);
      assertEquals(array, Npy.decode(Npy.encode(array), "memory"), "seed " + seed);
      assertEquals(0, (Files.size(file) - 4L * n) % 64, "header is 64-byte aligned");
    }
  }

  @Test
  void roundTripsAnArrayLargerThanOneWriteChunk() throws IOException {
    // 700,000 floats span three 1 MiB write chunks, the last one partial.
    float[] data = new float[700_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = i * 0.25f;
    }
    FloatTensor big = new FloatTensor(new int[] {7, 100_000, 1}, data);
    Path file = dir.resolve("big.npy");
    Npy.write(file, big);
    assertEquals(big, Npy.read(file));
    assertArrayEquals(Npy.encode(big), Files.readAllBytes(file));
  }

  @Test
  void narrowsFloat64AndInt64() throws IOException {
    FloatTensor f = Npy.readFloat(goldenFile("f8_2x2.npy"));
    assertArrayEquals(new int[] {2, 2}, f.shape());
    assertArrayEquals(new float[] {(float) 0.1, -2.5f, (float) 1e-3, 3f}, f.data());
    assertEquals(
        IntTensor.vector(1, -5, Integer.MAX_VALUE), Npy.readInt(goldenFile("i8_vector.npy")));
  }

  @Test
  void rejectsFloat64OutsideFloat32Range() throws IOException {
    byte[] bytes = golden("f8_2x2.npy");
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putDouble(bytes.length - 8, 1e300);
    NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.decode(bytes, "x.npy"));
    assertEquals(
        "x.npy: '<f8' value 1.0E300 at index 3: expected a value in float32 range", e.getMessage());
  }

  @Test
  void rejectsInt64OutsideInt32Range() throws IOException {
    byte[] bytes = golden("i8_vector.npy");
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(bytes.length - 8, 1L << 31);
    NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.decode(bytes, "x.npy"));
    assertEquals(
        "x.npy: '<i8' value 2147483648 at index 2: expected a value in int32 range",
        e.getMessage());
  }

  @Test
  void typedReadRejectsTheOtherType() throws IOException {
    Path file = goldenFile("i4_vector.npy");
    NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.readFloat(file));
    assertEquals(file + ": expected dtype '<f4', got '<i4'", e.getMessage());
  }

  @Test
  void rejectsUnsupportedDtypesNamingTheFile() throws IOException {
    Path bigEndian = goldenFile("bigendian_f4.npy");
    NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(bigEndian));
    assertEquals(
        bigEndian
            + ": unsupported dtype '>f4': expected one of ['<f4', '<i4', '<f8', '<i8'] (little-endian)",
        e.getMessage());
    Path bool = goldenFile("bool_b1.npy");
    e = assertThrows(NpyFormatException.class, () -> Npy.read(bool));
    assertTrue(e.getMessage().startsWith(bool + ": unsupported dtype '|b1'"), e.getMessage());
    assertEquals(bool.toString(), e.source());
  }

  @Test
  void rejectsFortranOrder() throws IOException {
    Path file = goldenFile("fortran_2x3.npy");
    NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(file));
    assertTrue(e.getMessage().startsWith(file + ": fortran_order True is not supported"));
  }

  @Test
  void rejectsTruncatedAndTrailingData() throws IOException {
    byte[] bytes = golden("f4_2x3.npy");
    NpyFormatException e =
        assertThrows(
            NpyFormatException.class,
            () -> Npy.decode(Arrays.copyOf(bytes, bytes.length - 1), "t.npy"));
    assertEquals(
        "t.npy: truncated: expected 24 data bytes for shape [2, 3] of '<f4', got 23",
        e.getMessage());
    e =
        assertThrows(
            NpyFormatException.class,
            () -> Npy.decode(Arrays.copyOf(bytes, bytes.length + 4), "t.npy"));
    assertEquals(
        "t.npy: trailing bytes: expected 24 data bytes for shape [2, 3] of '<f4', got 28",
        e.getMessage());
    for (int length = 0; length < 128; length++) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThrows(NpyFormatException.class, () -> Npy.decode(cut, "t.npy"), "length " + length);
    }
  }

  @Test
  void rejectsBadMagicAndVersion() throws IOException {
    byte[] bytes = golden("f4_2x3.npy");
    byte[] magic = bytes.clone();
    magic[0] = 'P';
    NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.decode(magic, "m.npy"));
    assertEquals("m.npy: malformed magic: expected \\x93NUMPY, got PNUMPY", e.getMessage());
    byte[] version = bytes.clone();
    version[6] = 3;
    e = assertThrows(NpyFormatException.class, () -> Npy.decode(version, "v.npy"));
    assertEquals("v.npy: unsupported format version 3.0: expected 1.0 or 2.0", e.getMessage());
  }

  @Test
  void rejectsMalformedHeaders() {
    assertHeaderError(
        "{'descr': '<f4', 'shape': (2,), }",
        "malformed header: expected keys [descr, fortran_order, shape], got [descr, shape]");
    assertHeaderError(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1, }",
        "malformed header: 'extra': expected a string, tuple or boolean, got '1'");
    assertHeaderError(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }",
        "malformed header: shape: expected a non-negative integer at offset 54, got '-'");
    assertHeaderError(
        "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,), }",
        "malformed header: 'fortran_order': expected a string, tuple or boolean, got 'M'");
    assertHeaderError(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2,) ",
        "malformed header: expected ',' or '}' at offset 55, got end of header");
    assertHeaderError(
        "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }",
        "malformed header: unsupported dtype: expected a simple dtype string, got a structured"
            + " dtype");
    assertHeaderError(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } junk",
        "malformed header: expected only padding after the dictionary, got 'junk'");
    assertHeaderError(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'shape': (2,)}",
        "malformed header: duplicate key 'shape'");
  }

  @Test
  void acceptsDoubleQuotesAndLooseSpacing() throws NpyFormatException {
    byte[] bytes =
        withHeader("{\"shape\":(2,),\"fortran_order\":False,\"descr\":\"<i4\"}", new byte[8]);
    assertEquals(IntTensor.vector(0, 0), Npy.decode(bytes, "q.npy"));
  }

  @Test
  void headerLengthBeyondTheFileIsAnError() throws IOException {
    byte[] bytes = Arrays.copyOf(golden("f4_2x3.npy"), 100);
    NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.decode(bytes, "h.npy"));
    assertEquals("h.npy: malformed header: expected 118 header bytes, got 90", e.getMessage());
  }

  @Test
  void failedWriteLeavesTargetAndFolderUntouched() throws IOException {
    Path file = dir.resolve("keep.npy");
    Npy.write(file, FloatTensor.vector(1f));
    byte[] before = Files.readAllBytes(file);
    assertThrows(
        IOException.class,
        () ->
            AtomicFiles.write(
                file,
                channel -> {
                  channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                  throw new IOException("disk full");
                }));
    assertArrayEquals(before, Files.readAllBytes(file));
    try (var entries = Files.list(dir)) {
      assertEquals(1, entries.count(), "no temporary file left behind");
    }
    Npy.write(file, FloatTensor.vector(2f));
    assertEquals(FloatTensor.vector(2f), Npy.read(file));
  }

  @Test
  void tensorRecordsCheckTheirShape() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new FloatTensor(new int[] {2, 3}, new float[5]));
    assertEquals("shape [2, 3]: expected 6 elements, got data of length 5", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new IntTensor(new int[] {-1}, new int[0]));
    assertThrows(IllegalArgumentException.class, () -> FloatTensor.vector(1f).asInt());
  }

  private static void assertHeaderError(String header, String problem) {
    byte[] bytes = withHeader(header, new byte[8]);
    NpyFormatException e =
        assertThrows(NpyFormatException.class, () -> Npy.decode(bytes, "bad.npy"));
    assertEquals("bad.npy: " + problem, e.getMessage());
  }

  private static byte[] withHeader(String header, byte[] data) {
    byte[] text = header.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer out =
        ByteBuffer.allocate(10 + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.putShort((short) text.length).put(text).put(data);
    return out.array();
  }
}
