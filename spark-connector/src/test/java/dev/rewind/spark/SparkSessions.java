package dev.rewind.spark;

import org.apache.spark.sql.SparkSession;

/** Test sessions: Kryo with registration required, few shuffle partitions, no UI. */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession.Builder builder(String master) {
    return SparkSession.builder()
        .master(master)
        .appName("rewind-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.kryo.registrator", RewindKryoRegistrator.class.getName())
        .config("spark.kryo.registrationRequired", "true")
        .config("spark.local.dir", System.getProperty("java.io.tmpdir") + "/spark-local");
  }

  public static SparkSession local(String master) {
    return builder(master).getOrCreate();
  }

  /**
   * Two executor JVMs ({@code local-cluster[2,1,1024]}) on the test class path. Only in the {@code
   * cluster} surefire execution, which sets SPARK_HOME (its empty jars/ is created here).
   */
  public static SparkSession localCluster() throws java.io.IOException {
    java.nio.file.Files.createDirectories(
        java.nio.file.Path.of(System.getenv("SPARK_HOME"), "jars"));
    return builder("local-cluster[2,1,1024]")
        .config("spark.executor.extraClassPath", System.getProperty("surefire.test.class.path"))
        .config(
            "spark.executor.extraJavaOptions",
            "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"))
        .getOrCreate();
  }
}
