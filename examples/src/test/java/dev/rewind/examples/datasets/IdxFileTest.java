package dev.rewind.examples.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxFileTest {
  @TempDir Path dir;

  private static final byte[] VALUES = {0, 1, 2, (byte) 200, (byte) 255, 7};

  @ParameterizedTest
  @ValueSource(strings = {"x-idx3-ubyte", "x-idx3-ubyte.gz"})
  void readsPlainAndGzippedFiles(String name) throws IOException {
    Path f = TestIdx.write(dir.resolve(name), TestIdx.bytes(8, new int[] {2, 1, 3}, VALUES));
    IdxFile idx = IdxFile.read(f);
    assertArrayEquals(new int[] {2, 1, 3}, idx.dims());
    assertEquals(2, idx.count());
    assertEquals(3, idx.itemSize());
    assertArrayEquals(VALUES, idx.values());
    assertEquals(200, idx.unsigned(3));
    assertEquals(255, idx.unsigned(4));
  }

  @Test
  void rejectsABadMagicNumberNamingTheFile() throws IOException {
    byte[] content = TestIdx.bytes(8, new int[] {6}, VALUES);
    content[0] = 0x1f;
    Path f = TestIdx.write(dir.resolve("bad-magic"), content);
    IOException e = assertThrows(IOException.class, () -> IdxFile.read(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("magic"), e.getMessage());
  }

  @Test
  void rejectsOtherElementTypes() throws IOException {
    Path f = TestIdx.write(dir.resolve("floats"), TestIdx.bytes(0x0D, new int[] {6}, VALUES));
    IOException e = assertThrows(IOException.class, () -> IdxFile.read(f));
    assertTrue(e.getMessage().contains("expected element type 0x08"), e.getMessage());
    assertTrue(e.getMessage().contains("0x0d"), e.getMessage());
  }

  @Test
  void rejectsTruncatedData() throws IOException {
    Path f = TestIdx.write(dir.resolve("short.gz"), TestIdx.bytes(8, new int[] {2, 4}, VALUES));
    IOException e = assertThrows(IOException.class, () -> IdxFile.read(f));
    assertTrue(e.getMessage().contains("8 data bytes for dims [2, 4]"), e.getMessage());
    assertTrue(e.getMessage().contains("end of file"), e.getMessage());
  }

  @Test
  void rejectsATruncatedHeader() throws IOException {
    byte[] full = TestIdx.bytes(8, new int[] {2, 3}, VALUES);
    Path f = TestIdx.write(dir.resolve("header"), Arrays.copyOf(full, 6));
    IOException e = assertThrows(IOException.class, () -> IdxFile.read(f));
    assertTrue(e.getMessage().contains("dimension 0 of 2"), e.getMessage());
  }

  @Test
  void rejectsTrailingBytes() throws IOException {
    Path f = TestIdx.write(dir.resolve("long"), TestIdx.bytes(8, new int[] {5}, VALUES));
    IOException e = assertThrows(IOException.class, () -> IdxFile.read(f));
    assertTrue(e.getMessage().contains("expected exactly 5 data bytes"), e.getMessage());
  }

  @Test
  void rejectsANegativeDimension() throws IOException {
    Path f = TestIdx.write(dir.resolve("neg"), TestIdx.bytes(8, new int[] {-1}, VALUES));
    IOException e = assertThrows(IOException.class, () -> IdxFile.read(f));
    assertTrue(e.getMessage().contains("dimension 0"), e.getMessage());
  }

  @Test
  void rejectsACorruptGzipStreamNamingTheFile() throws IOException {
    Path f = TestIdx.write(dir.resolve("corrupt.gz"), new byte[] {1, 2, 3});
    IOException e = assertThrows(IOException.class, () -> IdxFile.read(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }
}
