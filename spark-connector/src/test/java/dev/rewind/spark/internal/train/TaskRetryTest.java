package dev.rewind.spark.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.spark.SparkSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task that fails on its first attempt mid-step, when it reads back an input chunk it spilled
 * off-chip ({@link FailOnceFileSystem} as the off-chip location; {@code local[2,2]} allows one
 * retry): the step's gradient is the same as without the failure and no store file remains.
 */
@Timeout(120)
class TaskRetryTest {
  private static SparkSession spark;
  private static GradientFixture fixture;

  @BeforeAll
  static void start() {
    spark = FailOnceFileSystem.registeredIn(SparkSessions.builder("local[2,2]")).getOrCreate();
    fixture = new GradientFixture(8, 40, 8);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void retriedTaskNeitherDoubleCountsNorLeavesFiles(@TempDir Path dir) throws Exception {
    GradientSum clean = step(dir.toUri().toString(), "clean");
    assertEquals(List.of(), storeFiles(dir));

    AtomicInteger failed = new AtomicInteger();
    SparkListener listener =
        new SparkListener() {
          @Override
          public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.reason() != Success$.MODULE$) {
              failed.incrementAndGet();
            }
          }
        };
    spark.sparkContext().addSparkListener(listener);
    GradientSum retried;
    FailOnceFileSystem.rearm();
    try {
      retried = step(FailOnceFileSystem.SCHEME + "://" + dir.toUri().getPath(), "retried");
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    assertEquals(1, FailOnceFileSystem.injectedFailures(), "injected failures");
    assertEquals(1, failed.get(), "failed task attempts");
    assertEquals(clean.sequences(), retried.sequences());
    assertArrayEquals(clean.meanGradient(), retried.meanGradient());
    assertEquals(clean.meanLoss(), retried.meanLoss());
    assertEquals(List.of(), storeFiles(dir), "store files left behind");
  }

  private static GradientSum step(String offChip, String run) {
    return fixture.distributed(
        fixture.task.chunkedRows(spark, 9, 11), GradientFixture.dense("seq_id"), 2, offChip, run);
  }

  private static List<Path> storeFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }
}
