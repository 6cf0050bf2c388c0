package dev.rewind.spark.internal.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One distributed step on two separate executor JVMs ({@code local-cluster[2,1,1024]}), Kryo with
 * registration required, against single-JVM BPTT. Runs in the {@code cluster} surefire execution
 * (SPARK_HOME and SPARK_SCALA_VERSION set there), one SparkContext per JVM.
 */
@Tag("cluster")
@Timeout(240)
class LocalClusterGradientTest {

  @Test
  void stepOnSeparateExecutorJvmsEqualsSingleJvmBatch() throws Exception {
    SparkSession spark = SparkSessions.localCluster();
    try {
      GradientFixture fixture = new GradientFixture(8, 40, 8);
      GradientSum sum =
          fixture.distributed(
              fixture.task.chunkedRows(spark, 9, 5),
              GradientFixture.dense("seq_id"),
              2,
              "",
              "cluster");
      assertEquals(8, sum.sequences());
      assertEquals(
          2,
          spark.sparkContext().statusTracker().getExecutorInfos().length - 1,
          "executors besides the driver");
      double relative = GradientChecks.assertClose(sum.meanGradient(), fixture.batchedReference());
      System.out.println("local-cluster vs single-JVM batch: max relative difference " + relative);
      GradientChecks.assertUlps(sum.meanGradient(), fixture.sequentialReference(), 1);
    } finally {
      spark.stop();
    }
  }
}
