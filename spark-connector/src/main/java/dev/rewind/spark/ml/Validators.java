package dev.rewind.spark.ml;

import java.io.Serializable;
import java.util.Arrays;
import java.util.function.Predicate;
import scala.runtime.AbstractFunction1;

/** Param validators as the serializable Scala functions Spark's Param expects. */
final class Validators {
  private Validators() {}

  static <T> AbstractFunction1<T, Object> of(SerializablePredicate<T> test) {
    return new Check<>(test);
  }

  /** For IntParam, whose Scala Int values reach Java as boxed Objects. */
  static AbstractFunction1<Object, Object> intAtLeast(int min) {
    return of(v -> (Integer) v >= min);
  }

  /** For DoubleParam: finite and at least {@code min}. */
  static AbstractFunction1<Object, Object> doubleAtLeast(double min, boolean strict) {
    return of(
        v -> {
          double x = (Double) v;
          return Double.isFinite(x) && (strict ? x > min : x >= min);
        });
  }

  static AbstractFunction1<Object, Object> anyLong() {
    return of(v -> v instanceof Long);
  }

  static AbstractFunction1<String, Object> oneOf(String... allowed) {
    return of(v -> Arrays.asList(allowed).contains(v));
  }

  /**
   * Accepts what {@code parser} accepts; otherwise throws the parser's IllegalArgumentException
   * prefixed with the Param's {@code name}, so the explanation is not lost behind Spark's generic
   * "given invalid value".
   */
  static <T> AbstractFunction1<T, Object> parsing(String name, SerializableConsumer<T> parser) {
    return of(
        v -> {
          try {
            parser.accept(v);
            return true;
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
          }
        });
  }

  interface SerializablePredicate<T> extends Predicate<T>, Serializable {}

  interface SerializableConsumer<T> extends java.util.function.Consumer<T>, Serializable {}

  private static final class Check<T> extends AbstractFunction1<T, Object> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final SerializablePredicate<T> test;

    Check(SerializablePredicate<T> test) {
      this.test = test;
    }

    @Override
    public Object apply(T value) {
      return value != null && test.test(value);
    }
  }
}
