package dev.rewind.spark.ml;

import dev.rewind.trainer.model.LayerConfig;
import java.util.List;

/**
 * The {@code recurrence} Param's forms: {@code first} (only the first layer has R), {@code
 * recurrent} (every layer), {@code feedforward} (none), or one {@code true}/{@code false} per
 * layer.
 */
final class RecurrenceSpec {
  private RecurrenceSpec() {}

  /** Fails naming what is wrong unless {@code spec} is one of the forms. */
  static void check(String spec) {
    if (spec.equals("first") || spec.equals("recurrent") || spec.equals("feedforward")) {
      return;
    }
    for (String part : spec.split(",", -1)) {
      if (!part.equals("true") && !part.equals("false")) {
        throw new IllegalArgumentException(
            "expected first, recurrent, feedforward or one true/false per layer, got '"
                + spec
                + "'");
      }
    }
  }

  /** Whether each of {@code depth} layers is recurrent. */
  static boolean[] layers(String spec, int depth) {
    check(spec);
    boolean[] out = new boolean[depth];
    switch (spec) {
      case "first" -> out[0] = true;
      case "recurrent" -> java.util.Arrays.fill(out, true);
      case "feedforward" -> {}
      default -> {
        String[] parts = spec.split(",");
        if (parts.length != depth) {
          throw new IllegalArgumentException(
              "recurrence: expected one true/false per layer ("
                  + depth
                  + "), got "
                  + parts.length
                  + " in '"
                  + spec
                  + "'");
        }
        for (int i = 0; i < depth; i++) {
          out[i] = Boolean.parseBoolean(parts[i]);
        }
      }
    }
    return out;
  }

  /** The per-layer form of {@code layers}' recurrence. */
  static String of(List<LayerConfig> layers) {
    StringBuilder b = new StringBuilder();
    for (LayerConfig l : layers) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(l.recurrent());
    }
    return b.toString();
  }
}
