package dev.rewind.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlobKeyTest {

  @Test
  void mapsToARelativePathUnderTheRoot() {
    BlobKey key = new BlobKey("run-1", 7, 3, 1200, "v.layer0");
    assertEquals("run-1/a7/b3/v.layer0/1200.rwb", key.relativePath());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "..",
        ".",
        "a/../b",
        "../etc",
        "/abs",
        "a/b",
        "a\\b",
        "x..y",
        ".hidden",
        "sp ace",
        "tab\t",
        "new\nline",
        "caf\u00e9",
        "nul\u0000",
        "colon:",
        "star*"
      })
  void rejectsNamesThatCouldEscapeOrAreOdd(String name) {
    IllegalArgumentException run =
        assertThrows(IllegalArgumentException.class, () -> new BlobKey(name, 0, 0, 0, "t"));
    assertTrue(run.getMessage().startsWith("run: expected"), run.getMessage());
    IllegalArgumentException tensor =
        assertThrows(IllegalArgumentException.class, () -> new BlobKey("r", 0, 0, 0, name));
    assertTrue(tensor.getMessage().startsWith("tensor: expected"), tensor.getMessage());
  }

  @Test
  void rejectsNullAndOverlongNames() {
    assertThrows(IllegalArgumentException.class, () -> new BlobKey(null, 0, 0, 0, "t"));
    assertThrows(IllegalArgumentException.class, () -> new BlobKey("r", 0, 0, 0, "x".repeat(129)));
  }

  @Test
  void rejectsNegativeNumbersNamingTheField() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new BlobKey("r", 0, 0, -5, "t"));
    assertEquals("step: expected >= 0, got -5", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new BlobKey("r", -1, 0, 0, "t"));
    assertThrows(IllegalArgumentException.class, () -> new BlobKey("r", 0, -1, 0, "t"));
  }
}
