package dev.rewind.examples.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FashionMnistTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void loadsTheFirstImagesOfEachSplit(boolean gz) throws IOException {
    Path root = TestIdx.fakeFashionMnist(dir.resolve("f"), 12, 5, 3, 4, gz);
    LabelledImages train = FashionMnist.load(root, FashionMnist.Split.TRAIN, 7);
    assertEquals(7, train.count());
    assertEquals(3, train.rows());
    assertEquals(4, train.cols());
    assertEquals(10, train.classes());
    for (int i = 0; i < 7; i++) {
      assertEquals(i % 10, train.label(i));
      for (int p = 0; p < 12; p++) {
        assertEquals(TestIdx.pixel(i, p) / 255f, train.intensity(i, p));
      }
    }
    LabelledImages test = FashionMnist.load(root, FashionMnist.Split.TEST, 5);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, test.labels());
  }

  @Test
  void missingFilesSayHowToInstallThem() {
    FileNotFoundException e =
        assertThrows(
            FileNotFoundException.class,
            () -> FashionMnist.load(dir.resolve("nowhere"), FashionMnist.Split.TRAIN, 1));
    assertTrue(e.getMessage().contains("sudo apt-get install dataset-fashion-mnist"));
    assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
  }

  @Test
  void refusesMoreImagesThanTheFileHolds() throws IOException {
    Path root = TestIdx.fakeFashionMnist(dir.resolve("f"), 4, 2, 2, 2, true);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FashionMnist.load(root, FashionMnist.Split.TEST, 3));
    assertTrue(e.getMessage().contains("at most the 2"), e.getMessage());
  }

  @Test
  void refusesLabelsThatDisagreeWithTheImages() throws IOException {
    Path root = TestIdx.fakeFashionMnist(dir.resolve("f"), 4, 2, 2, 2, false);
    Path labels = root.resolve("train-labels-idx1-ubyte");
    TestIdx.write(labels, TestIdx.bytes(8, new int[] {3}, new byte[] {0, 1, 2}));
    IOException e =
        assertThrows(IOException.class, () -> FashionMnist.load(root, FashionMnist.Split.TRAIN, 1));
    assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("4 labels"), e.getMessage());
  }

  @Test
  void refusesLabelsOutOfRange() throws IOException {
    Path root = TestIdx.fakeFashionMnist(dir.resolve("f"), 2, 2, 2, 2, false);
    TestIdx.write(
        root.resolve("train-labels-idx1-ubyte"),
        TestIdx.bytes(8, new int[] {2}, new byte[] {0, 10}));
    IOException e =
        assertThrows(IOException.class, () -> FashionMnist.load(root, FashionMnist.Split.TRAIN, 2));
    assertTrue(e.getMessage().contains("label 1"), e.getMessage());
  }

  /** The installed package, when there is one: shapes and the balanced labels it documents. */
  @Test
  @Tag("fmnist")
  void readsTheInstalledDataset() throws IOException {
    assumeTrue(
        Files.isDirectory(FashionMnist.DEFAULT_DIR),
        "dataset-fashion-mnist is not installed; skipping");
    LabelledImages train =
        FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TRAIN, 60000);
    LabelledImages test =
        FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST, 10000);
    assertEquals(28, train.rows());
    assertEquals(28, test.cols());
    int[] perClass = new int[10];
    for (int y : train.labels()) {
      perClass[y]++;
    }
    assertArrayEquals(
        new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, perClass);
    int[] testPerClass = new int[10];
    for (int y : test.labels()) {
      testPerClass[y]++;
    }
    assertArrayEquals(
        new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, testPerClass);
  }
}
