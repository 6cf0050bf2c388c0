package dev.rewind.trainer.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A folder holding one {@code <name>.npy} file per tensor of a fixed list of {@link TensorSpec}s,
 * as the PyTorch reference reads and writes parameters and gradients ({@code W1.npy}, {@code
 * R1.npy}, {@code b1.npy}, ..., {@code Wo.npy}, {@code bo.npy}).
 *
 * <p>Reading checks the folder against the specs: every expected file is present, no other {@code
 * .npy} file is (files with other extensions are ignored), and each file has the expected element
 * type (after the narrowing {@link Npy} documents) and shape. Writing checks the tensors against
 * the specs the same way, refuses a folder holding unknown {@code .npy} files, and writes each file
 * atomically; the folder as a whole is not replaced atomically.
 */
public final class NamedTensorFolder {

  private final List<TensorSpec> specs;
  private final Map<String, TensorSpec> byName;

  /**
   * @param specs the expected tensors, with distinct names, in the order {@link #read} returns them
   */
  public NamedTensorFolder(List<TensorSpec> specs) {
    Map<String, TensorSpec> names = new LinkedHashMap<>();
    for (TensorSpec spec : specs) {
      if (names.put(spec.name(), spec) != null) {
        throw new IllegalArgumentException(
            "specs: expected distinct names, got '" + spec.name() + "' twice");
      }
    }
    this.specs = List.copyOf(specs);
    this.byName = Collections.unmodifiableMap(names);
  }

  /** Returns the specs, in order. */
  public List<TensorSpec> specs() {
    return specs;
  }

  /**
   * Reads every expected tensor from {@code folder}.
   *
   * @return the tensors by name, in spec order
   * @throws TensorFolderException if a tensor is missing, unknown, or of another type or shape
   * @throws NpyFormatException if a file is not a readable {@code .npy} array
   */
  public Map<String, NpyArray> read(Path folder) throws IOException {
    List<String> present = npyNames(folder);
    requireNoUnknown(folder, present);
    List<String> missing = new ArrayList<>();
    for (TensorSpec spec : specs) {
      if (!present.contains(spec.name())) {
        missing.add(spec.fileName());
      }
    }
    if (!missing.isEmpty()) {
      throw new TensorFolderException(folder + ": missing tensor file(s) " + missing);
    }
    Map<String, NpyArray> tensors = new LinkedHashMap<>();
    for (TensorSpec spec : specs) {
      Path file = folder.resolve(spec.fileName());
      NpyArray array = Npy.read(file);
      requireMatch(file.toString(), spec, array);
      tensors.put(spec.name(), array);
    }
    return tensors;
  }

  /**
   * Writes {@code tensors} to {@code folder}, creating it if needed, one atomic file per tensor.
   *
   * @throws IllegalArgumentException if {@code tensors} lacks an expected name, holds another name,
   *     or a tensor differs from its spec
   * @throws TensorFolderException if {@code folder} already holds an unknown {@code .npy} file
   */
  public void write(Path folder, Map<String, ? extends NpyArray> tensors) throws IOException {
    for (String name : tensors.keySet()) {
      if (!byName.containsKey(name)) {
        throw new IllegalArgumentException(
            "tensors: unknown tensor '" + name + "', expected only " + byName.keySet());
      }
    }
    for (TensorSpec spec : specs) {
      NpyArray array = tensors.get(spec.name());
      if (array == null) {
        throw new IllegalArgumentException("tensors: missing tensor '" + spec.name() + "'");
      }
      if (!spec.matches(array)) {
        throw new IllegalArgumentException(mismatch(spec.name(), spec, array));
      }
    }
    Files.createDirectories(folder);
    requireNoUnknown(folder, npyNames(folder));
    for (TensorSpec spec : specs) {
      Npy.write(folder.resolve(spec.fileName()), tensors.get(spec.name()));
    }
  }

  private void requireNoUnknown(Path folder, List<String> present) throws TensorFolderException {
    for (String name : present) {
      if (!byName.containsKey(name)) {
        throw new TensorFolderException(
            folder.resolve(name + ".npy")
                + ": unknown tensor '"
                + name
                + "', expected only "
                + byName.keySet());
      }
    }
  }

  private static void requireMatch(String source, TensorSpec spec, NpyArray array)
      throws TensorFolderException {
    if (!spec.matches(array)) {
      throw new TensorFolderException(mismatch(source, spec, array));
    }
  }

  private static String mismatch(String source, TensorSpec spec, NpyArray array) {
    if (array.type() != spec.type()) {
      return source
          + ": expected dtype '"
          + spec.type().descr()
          + "', got '"
          + array.type().descr()
          + "'";
    }
    return source
        + ": expected shape "
        + Arrays.toString(spec.shape())
        + ", got "
        + Arrays.toString(array.shape());
  }

  /** Returns the names of the regular {@code .npy} files in {@code folder}, sorted. */
  private static List<String> npyNames(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new TensorFolderException(folder + ": expected a folder of .npy files, got none");
    }
    TreeSet<String> names = new TreeSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "*.npy")) {
      for (Path entry : entries) {
        String file = entry.getFileName().toString();
        if (Files.isRegularFile(entry) && !file.startsWith(".")) {
          names.add(file.substring(0, file.length() - ".npy".length()));
        }
      }
    }
    return new ArrayList<>(names);
  }
}
