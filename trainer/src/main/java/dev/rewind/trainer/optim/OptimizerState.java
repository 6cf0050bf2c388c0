package dev.rewind.trainer.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable snapshot of an optimizer's state: the algorithm name, the number of steps taken and
 * the named per-parameter buffers (for example Adam's {@code "exp_avg"} and {@code "exp_avg_sq"}).
 *
 * <p>Buffers are copied in and out, so a snapshot never aliases a live optimizer. Equality compares
 * buffers bit for bit ({@link Float#floatToRawIntBits}), which is what an exact resume needs.
 * {@link OptimizerStateCodec} turns a snapshot into bytes and back.
 *
 * @param algorithm the optimizer's name, as {@code "sgd"} or {@code "adam"}
 * @param step steps taken so far, at least 0
 * @param buffers the buffers by name, in a stable order
 */
public record OptimizerState(String algorithm, long step, Map<String, float[]> buffers) {

  public OptimizerState {
    if (algorithm == null || algorithm.isEmpty()) {
      throw new IllegalArgumentException("algorithm: expected a non-empty name, got " + algorithm);
    }
    if (step < 0) {
      throw new IllegalArgumentException("step: expected >= 0, got " + step);
    }
    Objects.requireNonNull(buffers, "buffers");
    Map<String, float[]> copy = new LinkedHashMap<>();
    for (Map.Entry<String, float[]> e : buffers.entrySet()) {
      if (e.getKey() == null || e.getKey().isEmpty() || e.getValue() == null) {
        throw new IllegalArgumentException(
            "buffers: expected non-empty names and non-null arrays, got " + e.getKey());
      }
      copy.put(e.getKey(), e.getValue().clone());
    }
    buffers = Collections.unmodifiableMap(copy);
  }

  /** Returns a copy of the buffers; changing it does not change this snapshot. */
  @Override
  public Map<String, float[]> buffers() {
    Map<String, float[]> copy = new LinkedHashMap<>();
    buffers.forEach((name, values) -> copy.put(name, values.clone()));
    return copy;
  }

  /**
   * Returns a copy of one buffer.
   *
   * @throws IllegalArgumentException if there is no buffer of that name
   */
  public float[] buffer(String name) {
    float[] values = buffers.get(name);
    if (values == null) {
      throw new IllegalArgumentException(
          "buffer: expected one of " + buffers.keySet() + ", got " + name);
    }
    return values.clone();
  }

  /**
   * Checks that this snapshot was exported by {@code expectedAlgorithm} with exactly the buffers
   * {@code expectedBuffers}, each of {@code expectedLength} entries, so that an import either
   * succeeds whole or changes nothing.
   */
  void requireShape(String expectedAlgorithm, Set<String> expectedBuffers, int expectedLength) {
    if (!algorithm.equals(expectedAlgorithm)) {
      throw new IllegalArgumentException(
          "optimizer state: expected algorithm '"
              + expectedAlgorithm
              + "', got '"
              + algorithm
              + "'");
    }
    if (!buffers.keySet().equals(expectedBuffers)) {
      throw new IllegalArgumentException(
          algorithm + " state: expected buffers " + expectedBuffers + ", got " + buffers.keySet());
    }
    for (Map.Entry<String, float[]> e : buffers.entrySet()) {
      if (e.getValue().length != expectedLength) {
        throw new IllegalArgumentException(
            algorithm
                + " state buffer '"
                + e.getKey()
                + "': expected length "
                + expectedLength
                + ", got "
                + e.getValue().length);
      }
    }
  }

  /** Copies buffer {@code name} into {@code target}; call {@link #requireShape} first. */
  void copyBufferInto(String name, float[] target) {
    System.arraycopy(buffers.get(name), 0, target, 0, target.length);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof OptimizerState other)) {
      return false;
    }
    if (!algorithm.equals(other.algorithm)
        || step != other.step
        || !buffers.keySet().equals(other.buffers.keySet())) {
      return false;
    }
    for (Map.Entry<String, float[]> e : buffers.entrySet()) {
      if (!sameBits(e.getValue(), other.buffers.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(algorithm, step);
    for (Map.Entry<String, float[]> e : buffers.entrySet()) {
      h = 31 * h + e.getKey().hashCode();
      for (float f : e.getValue()) {
        h = 31 * h + Float.floatToRawIntBits(f);
      }
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("OptimizerState[algorithm=").append(algorithm);
    sb.append(", step=").append(step).append(", buffers={");
    String sep = "";
    for (Map.Entry<String, float[]> e : buffers.entrySet()) {
      sb.append(sep).append(e.getKey()).append(": float[").append(e.getValue().length).append(']');
      sep = ", ";
    }
    return sb.append("}]").toString();
  }

  private static boolean sameBits(float[] a, float[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
        return false;
      }
    }
    return true;
  }
}
