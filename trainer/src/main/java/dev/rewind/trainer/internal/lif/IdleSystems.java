package dev.rewind.trainer.internal.lif;

import dev.rewind.trainer.model.ModelConfig;
import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * LIF systems that closed executors left, by shape, for the next executor of that shape in this
 * JVM. A Spark task builds an executor for every step; without this it would allocate its tape
 * chunks and engine scratch again each time (tens of MiB per step at T = 1000), and the collector
 * would spend a fifth of the step taking them back. Held softly, so idle ones go under memory
 * pressure; at most one per core per shape, for the eight shapes used last.
 */
final class IdleSystems {
  private static final int PER_SHAPE = Runtime.getRuntime().availableProcessors();

  /** Shapes kept, the most recently used: a notebook that tries many models holds only these. */
  private static final int SHAPES = 8;

  private static final Map<Shape, ArrayDeque<SoftReference<LifSystem>>> IDLE =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(
            Map.Entry<Shape, ArrayDeque<SoftReference<LifSystem>>> eldest) {
          return size() > SHAPES;
        }
      };

  private record Shape(ModelConfig config, int batch, int truncation, int threads) {}

  private IdleSystems() {}

  /** An idle system of this shape, or a new one. */
  static LifSystem take(ModelConfig config, int batch, int truncation, int threads) {
    Shape shape = new Shape(config, batch, truncation, threads);
    synchronized (IDLE) {
      ArrayDeque<SoftReference<LifSystem>> idle = IDLE.get(shape);
      while (idle != null && !idle.isEmpty()) {
        LifSystem system = idle.pop().get();
        if (system != null) {
          return system;
        }
      }
    }
    return new LifSystem(config, batch, truncation, threads);
  }

  /** Returns a system {@link #take} gave; the caller must not use it any more. */
  static void give(ModelConfig config, int batch, int truncation, int threads, LifSystem system) {
    system.release();
    Shape shape = new Shape(config, batch, truncation, threads);
    synchronized (IDLE) {
      ArrayDeque<SoftReference<LifSystem>> idle =
          IDLE.computeIfAbsent(shape, s -> new ArrayDeque<>());
      idle.removeIf(r -> r.get() == null);
      if (idle.size() < PER_SHAPE) {
        idle.push(new SoftReference<>(system));
      }
    }
  }
}
