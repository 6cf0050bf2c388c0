package dev.rewind.trainer.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamedTensorFolderTest {

  @TempDir Path dir;

  private final NamedTensorFolder folder =
      new NamedTensorFolder(
          List.of(
              TensorSpec.float32("W1", 4, 3),
              TensorSpec.float32("b1", 4),
              TensorSpec.int32("labels", 2)));

  private static Map<String, NpyArray> tensors() {
    Map<String, NpyArray> t = new LinkedHashMap<>();
    t.put("W1", new FloatTensor(new int[] {4, 3}, new float[12]));
    t.put("b1", FloatTensor.vector(1f, 2f, 3f, 4f));
    t.put("labels", IntTensor.vector(3, 9));
    return t;
  }

  @Test
  void roundTripsInSpecOrder() throws IOException {
    folder.write(dir, tensors());
    Map<String, NpyArray> read = folder.read(dir);
    assertEquals(tensors(), read);
    assertEquals(List.of("W1", "b1", "labels"), List.copyOf(read.keySet()));
  }

  @Test
  void createsTheFolderAndIgnoresOtherFiles() throws IOException {
    Path nested = dir.resolve("a/b");
    folder.write(nested, tensors());
    Files.writeString(nested.resolve("config.json"), "{}");
    Files.writeString(nested.resolve(".W1.npy.123.tmp"), "partial");
    assertEquals(tensors(), folder.read(nested));
  }

  @Test
  void missingTensorIsNamed() throws IOException {
    folder.write(dir, tensors());
    Files.delete(dir.resolve("b1.npy"));
    TensorFolderException e = assertThrows(TensorFolderException.class, () -> folder.read(dir));
    assertEquals(dir + ": missing tensor file(s) [b1.npy]", e.getMessage());
  }

  @Test
  void unknownTensorIsNamed() throws IOException {
    folder.write(dir, tensors());
    Npy.write(dir.resolve("R1.npy"), FloatTensor.vector(1f));
    TensorFolderException e = assertThrows(TensorFolderException.class, () -> folder.read(dir));
    assertEquals(
        dir.resolve("R1.npy") + ": unknown tensor 'R1', expected only [W1, b1, labels]",
        e.getMessage());
    assertThrows(TensorFolderException.class, () -> folder.write(dir, tensors()));
  }

  @Test
  void shapeMismatchNamesFileAndShapes() throws IOException {
    NamedTensorFolder layer = new NamedTensorFolder(List.of(TensorSpec.float32("W1", 512, 128)));
    Npy.write(dir.resolve("W1.npy"), new FloatTensor(new int[] {128, 512}, new float[128 * 512]));
    TensorFolderException e = assertThrows(TensorFolderException.class, () -> layer.read(dir));
    assertEquals(
        dir.resolve("W1.npy") + ": expected shape [512, 128], got [128, 512]", e.getMessage());
  }

  @Test
  void dtypeMismatchIsNamed() throws IOException {
    folder.write(dir, tensors());
    Npy.write(dir.resolve("labels.npy"), FloatTensor.vector(3f, 9f));
    TensorFolderException e = assertThrows(TensorFolderException.class, () -> folder.read(dir));
    assertEquals(dir.resolve("labels.npy") + ": expected dtype '<i4', got '<f4'", e.getMessage());
  }

  @Test
  void writeChecksTensorsAgainstSpecs() {
    Map<String, NpyArray> missing = tensors();
    missing.remove("b1");
    assertEquals(
        "tensors: missing tensor 'b1'",
        assertThrows(IllegalArgumentException.class, () -> folder.write(dir, missing))
            .getMessage());
    Map<String, NpyArray> extra = tensors();
    extra.put("Wo", FloatTensor.vector(1f));
    assertThrows(IllegalArgumentException.class, () -> folder.write(dir, extra));
    Map<String, NpyArray> wrongShape = tensors();
    wrongShape.put("W1", new FloatTensor(new int[] {3, 4}, new float[12]));
    assertEquals(
        "W1: expected shape [4, 3], got [3, 4]",
        assertThrows(IllegalArgumentException.class, () -> folder.write(dir, wrongShape))
            .getMessage());
  }

  @Test
  void readOfAMissingFolderIsAnError() {
    Path absent = dir.resolve("absent");
    TensorFolderException e = assertThrows(TensorFolderException.class, () -> folder.read(absent));
    assertEquals(absent + ": expected a folder of .npy files, got none", e.getMessage());
  }

  @Test
  void specsAreValidated() {
    for (String bad : new String[] {"", "../W1", "a/b", ".hidden", "-x", "W 1"}) {
      assertThrows(IllegalArgumentException.class, () -> TensorSpec.float32(bad, 1), bad);
    }
    assertEquals(
        "specs: expected distinct names, got 'W1' twice",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    new NamedTensorFolder(
                        List.of(TensorSpec.float32("W1", 1), TensorSpec.int32("W1", 1))))
            .getMessage());
  }
}
