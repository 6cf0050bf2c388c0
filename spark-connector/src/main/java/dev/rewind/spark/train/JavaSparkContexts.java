package dev.rewind.spark.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/** The Java context of an RDD's Spark context. */
final class JavaSparkContexts {
  private JavaSparkContexts() {}

  static JavaSparkContext of(JavaRDD<?> rdd) {
    return JavaSparkContext.fromSparkContext(rdd.context());
  }
}
