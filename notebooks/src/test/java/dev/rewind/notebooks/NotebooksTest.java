package dev.rewind.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.spark.RewindKryoRegistrator;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Runs every note in {@code notebooks/} as Zeppelin's Spark interpreter would (one interpreter and
 * one local[2] session for the class, as Zeppelin shares them), and checks that a broken note fails
 * naming the note, the paragraph and the line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class NotebooksTest {
  private SparkSession spark;
  private NoteRunner runner;

  @BeforeAll
  void startInterpreter() throws IOException {
    Path classes = Files.createTempDirectory("repl-classes");
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("rewind-notebooks-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
            .config("spark.kryo.registrator", RewindKryoRegistrator.class.getName())
            .config("spark.repl.class.outputDir", classes.toAbsolutePath().toString())
            .config("spark.local.dir", System.getProperty("java.io.tmpdir") + "/spark-local")
            .getOrCreate();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    runner = new NoteRunner(spark, classpath, classes);
  }

  @AfterAll
  void stop() {
    if (runner != null) {
      runner.close();
    }
    if (spark != null) {
      spark.stop();
    }
  }

  private static Path broken(String name) throws URISyntaxException {
    return Path.of(NotebooksTest.class.getResource("/broken/" + name).toURI());
  }

  @Test
  void aCompileErrorNamesTheNoteParagraphAndLine() throws Exception {
    ParagraphFailedException e =
        assertThrows(
            ParagraphFailedException.class, () -> runner.run(broken("compile-error.zpln")));
    System.out.println(e.getMessage());
    assertTrue(
        e.getMessage()
            .startsWith(
                "note compile-error.zpln, paragraph 3 \"Use a misspelt name\", line 4: error: not"
                    + " found: value totl"),
        e.getMessage());
  }

  @Test
  void aRuntimeErrorNamesTheNoteParagraphAndLine() throws Exception {
    ParagraphFailedException e =
        assertThrows(
            ParagraphFailedException.class, () -> runner.run(broken("runtime-error.zpln")));
    System.out.println(e.getMessage());
    assertEquals(2, e.paragraph());
    assertEquals(4, e.line(), e.getMessage());
    assertTrue(
        e.getMessage()
            .startsWith(
                "note runtime-error.zpln, paragraph 2 \"A Spark job whose task throws\", line 4: "),
        e.getMessage());
    assertTrue(e.getMessage().contains("seven is not allowed"), e.getMessage());
  }
}
