package dev.rewind.trainer.io;

import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The expected name, element type and shape of one tensor in a {@link NamedTensorFolder}.
 *
 * @param name file name without {@code .npy}: letters, digits, {@code _ . -}, not starting with
 *     {@code .} or {@code -}
 * @param type element type
 * @param shape dimensions, each {@code >= 0}
 */
public record TensorSpec(String name, ElementType type, int[] shape) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

  public TensorSpec {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name: expected letters, digits, '_', '.' or '-' not starting with '.' or '-', got "
              + (name == null ? null : "'" + name + "'"));
    }
    Objects.requireNonNull(type, "type");
    if (shape == null || TensorShapes.elementCount(shape) < 0) {
      throw new IllegalArgumentException(
          name
              + ": expected a shape of at most "
              + Integer.MAX_VALUE
              + " elements, got "
              + Arrays.toString(shape));
    }
    shape = shape.clone();
  }

  /** A float32 tensor spec. */
  public static TensorSpec float32(String name, int... shape) {
    return new TensorSpec(name, ElementType.FLOAT32, shape);
  }

  /** An int32 tensor spec. */
  public static TensorSpec int32(String name, int... shape) {
    return new TensorSpec(name, ElementType.INT32, shape);
  }

  /** Returns the file name, {@code name + ".npy"}. */
  public String fileName() {
    return name + ".npy";
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** Returns whether {@code array} has this spec's element type and shape. */
  public boolean matches(NpyArray array) {
    return array.type() == type && Arrays.equals(shape, array.shape());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec other
        && name.equals(other.name)
        && type == other.type
        && Arrays.equals(shape, other.shape);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    return name + ":" + type + Arrays.toString(shape);
  }
}
