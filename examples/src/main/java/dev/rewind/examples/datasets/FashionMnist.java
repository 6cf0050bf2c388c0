package dev.rewind.examples.datasets;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The Fashion-MNIST files (Xiao, Rasul and Vollgraf 2017) as Debian's {@code dataset-fashion-mnist}
 * package installs them in {@link #DEFAULT_DIR}: {@code train-images-idx3-ubyte.gz} and so on,
 * gzipped or plain. 60000 training and 10000 test images of 28 x 28 pixels, 10 classes.
 */
public final class FashionMnist {
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
  public static final int CLASSES = 10;
  public static final String INSTALL_HINT = "sudo apt-get install dataset-fashion-mnist";

  /** The official split; {@code prefix} is how its files are named. */
  public enum Split {
    TRAIN("train"),
    TEST("t10k");

    private final String prefix;

    Split(String prefix) {
      this.prefix = prefix;
    }

    public String prefix() {
      return prefix;
    }
  }

  private FashionMnist() {}

  /**
   * The first {@code limit} images of {@code split} in file order, from {@code dir}.
   *
   * @throws FileNotFoundException when a file is missing, with the line that installs the package
   * @throws IOException when a file is malformed or images and labels disagree
   */
  public static LabelledImages load(Path dir, Split split, int limit) throws IOException {
    Path imagesFile = locate(dir, split.prefix() + "-images-idx3-ubyte");
    Path labelsFile = locate(dir, split.prefix() + "-labels-idx1-ubyte");
    IdxFile images = IdxFile.read(imagesFile);
    IdxFile labels = IdxFile.read(labelsFile);
    int[] dims = images.dims();
    if (dims.length != 3) {
      throw new IOException(
          imagesFile
              + ": expected 3 dimensions (images, rows, cols), got "
              + Arrays.toString(dims));
    }
    if (labels.dims().length != 1 || labels.count() != images.count()) {
      throw new IOException(
          labelsFile
              + ": expected one dimension of "
              + images.count()
              + " labels (as in "
              + imagesFile.getFileName()
              + "), got "
              + Arrays.toString(labels.dims()));
    }
    if (limit < 0 || limit > images.count()) {
      throw new IllegalArgumentException(
          split.name().toLowerCase(Locale.ROOT)
              + " images: expected at most the "
              + images.count()
              + " in "
              + imagesFile
              + ", got "
              + limit);
    }
    int[] y = new int[limit];
    for (int i = 0; i < limit; i++) {
      y[i] = labels.unsigned(i);
      if (y[i] >= CLASSES) {
        throw new IOException(
            labelsFile + ": label " + i + ": expected in [0, " + CLASSES + "), got " + y[i]);
      }
    }
    byte[] pixels = Arrays.copyOf(images.values(), limit * images.itemSize());
    return new LabelledImages(dims[1], dims[2], CLASSES, pixels, y);
  }

  /** {@code dir/name.gz} if present, else {@code dir/name}; otherwise says how to install them. */
  static Path locate(Path dir, String name) throws FileNotFoundException {
    Path gz = dir.resolve(name + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    Path plain = dir.resolve(name);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    throw new FileNotFoundException(
        "Fashion-MNIST: expected "
            + gz
            + " or "
            + plain
            + ", found neither; install the files with: "
            + INSTALL_HINT
            + " (or point --fmnist-dir at a folder holding them)");
  }
}
