package dev.rewind.trainer.petra;

import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of a {@link ReversibleNetwork}: one float array per module, updated in place by
 * training. During PETRA training each array is read and written by the one stage thread that owns
 * its module only.
 */
public final class NetworkParameters {
  private final List<float[]> modules;

  public NetworkParameters(List<float[]> modules) {
    this.modules = List.copyOf(modules);
  }

  public int moduleCount() {
    return modules.size();
  }

  /** The live array of module {@code m} (not a copy). */
  public float[] module(int m) {
    return modules.get(m);
  }

  /** A deep copy. */
  public NetworkParameters copy() {
    List<float[]> c = new ArrayList<>();
    for (float[] m : modules) {
      c.add(m.clone());
    }
    return new NetworkParameters(c);
  }

  /** Total number of parameters. */
  public long size() {
    long n = 0;
    for (float[] m : modules) {
      n += m.length;
    }
    return n;
  }
}
