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
}
