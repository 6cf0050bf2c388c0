package dev.rewind.trainer.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order and shapes of all trainable tensors of a {@link ModelConfig} in one flat array: for
 * each layer l = 1..L {@code Wl} (N_l x N_{l-1}), {@code Rl} (N_l x N_l, recurrent layers only),
 * {@code bl} (N_l), and for a layer with trainable time constants {@code ql} (N_l) and, if ALIF,
 * {@code pl} (N_l); then {@code Wo} (C x N_L), {@code bo} (C), and {@code qo} (C) for a trainable
 * readout leak (MODEL_SPEC v2). Gradients use the same layout.
 */
public final class ParameterLayout {
  private final ModelConfig config;
  private final List<TensorView> views;
  private final Map<String, TensorView> byName = new HashMap<>();
  private final List<TensorView> timeConstants;
  private final int size;

  public ParameterLayout(ModelConfig config) {
    this.config = config;
    List<TensorView> list = new ArrayList<>();
    List<TensorView> constants = new ArrayList<>();
    int offset = 0;
    for (int l = 1; l <= config.depth(); l++) {
      int n = config.width(l);
      offset = add(list, "W" + l, offset, n, config.width(l - 1));
      if (config.layers().get(l - 1).recurrent()) {
        offset = add(list, "R" + l, offset, n, n);
      }
      offset = add(list, "b" + l, offset, n, 0);
      LayerConfig layer = config.layers().get(l - 1);
      if (layer.trainTau()) {
        offset = add(list, "q" + l, offset, n, 0);
        constants.add(list.get(list.size() - 1));
        if (layer.adaptive()) {
          offset = add(list, "p" + l, offset, n, 0);
          constants.add(list.get(list.size() - 1));
        }
      }
    }
    offset = add(list, "Wo", offset, config.classes(), config.width(config.depth()));
    offset = add(list, "bo", offset, config.classes(), 0);
    if (config.trainReadoutTau()) {
      offset = add(list, "qo", offset, config.classes(), 0);
      constants.add(list.get(list.size() - 1));
    }
    this.views = List.copyOf(list);
    this.timeConstants = List.copyOf(constants);
    this.size = offset;
    for (TensorView v : views) {
      byName.put(v.name(), v);
    }
  }

  /** The trainable time constants' tensors (q_l, p_l, qo), in layout order; empty for none. */
  public List<TensorView> timeConstants() {
    return timeConstants;
  }

  private static int add(List<TensorView> list, String name, int offset, int rows, int cols) {
    List<Integer> shape = cols == 0 ? List.of(rows) : List.of(rows, cols);
    TensorView view = new TensorView(name, offset, shape);
    list.add(view);
    long end = (long) offset + view.size();
    if (end > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "model too large: expected at most 2^31-1 parameters, got more at tensor " + name);
    }
    return (int) end;
  }

  public ModelConfig config() {
    return config;
  }

  /** All tensors in layout order. */
  public List<TensorView> views() {
    return views;
  }

  /** Total number of floats. */
  public int size() {
    return size;
  }

  /** The tensor called {@code name}, e.g. "W1", "R2", "bo". */
  public TensorView view(String name) {
    TensorView v = byName.get(name);
    if (v == null) {
      throw new IllegalArgumentException(
          "tensor name: expected one of " + byName.keySet() + ", got '" + name + "'");
    }
    return v;
  }

  /** True when the tensor exists (recurrent matrices only exist for recurrent layers). */
  /**
   * Where flat index {@code index} lies, as {@code name[i]} (row-major within the tensor), e.g.
   * {@code W1[37]}.
   */
  public String locate(int index) {
    for (TensorView v : views) {
      if (index >= v.offset() && index < v.offset() + v.size()) {
        return v.name() + "[" + (index - v.offset()) + "]";
      }
    }
    throw new IllegalArgumentException(
        "parameter index: expected in [0, " + size + "), got " + index);
  }

  public boolean has(String name) {
    return byName.containsKey(name);
  }
}
