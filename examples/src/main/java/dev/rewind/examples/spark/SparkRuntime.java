package dev.rewind.examples.spark;

import dev.rewind.spark.RewindKryoRegistrator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession a command runs on. Under {@code spark-submit} (which sets {@code spark.master})
 * it is the session Spark configured; otherwise an embedded {@code local[*]} master with Kryo
 * (registration required, {@link RewindKryoRegistrator}'s classes), no UI and its scratch space in
 * a temporary directory ({@link ScratchSpace}: what killed runs left there is swept first), removed
 * on {@link #close()}, which stops the session unless it was running before.
 */
public final class SparkRuntime implements AutoCloseable {
  private final SparkSession spark;
  private final Path scratch;

  private final boolean owned;

  private SparkRuntime(SparkSession spark, Path scratch, boolean owned) {
    this.spark = spark;
    this.scratch = scratch;
    this.owned = owned;
  }

  /** The cluster's session when a master is configured, else an embedded local one. */
  public static SparkRuntime start(String appName) {
    if (System.getProperty("spark.master") != null) {
      // A session that was already running (a notebook's, a caller's) is theirs to stop.
      boolean existed = SparkSession.getDefaultSession().isDefined();
      return new SparkRuntime(
          SparkSession.builder().appName(appName).getOrCreate(), null, !existed);
    }
    try {
      Path scratch = ScratchSpace.create(Path.of(System.getProperty("java.io.tmpdir")));
      SparkSession spark =
          SparkSession.builder()
              .master("local[*]")
              .appName(appName)
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
              .config("spark.kryo.registrator", RewindKryoRegistrator.class.getName())
              .config("spark.kryo.registrationRequired", "true")
              .config("spark.local.dir", scratch.toString())
              .getOrCreate();
      return new SparkRuntime(spark, scratch, true);
    } catch (IOException e) {
      throw new UncheckedIOException("temporary directory for Spark", e);
    }
  }

  public SparkSession spark() {
    return spark;
  }

  /** True when this JVM runs the whole cluster (no master was configured). */
  public boolean embedded() {
    return scratch != null;
  }

  /**
   * Stops the session this runtime started (so that a cluster's executors are released cleanly) and
   * removes an embedded master's scratch space; a session that was running before stays.
   */
  @Override
  public void close() throws IOException {
    if (owned) {
      spark.stop();
    }
    if (scratch != null) {
      Hadoop.deleteLocal(scratch);
    }
  }
}
