package dev.rewind.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.spark.RewindKryoRegistrator;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Runs every note in {@code notebooks/} as Zeppelin's Spark interpreter would (one interpreter and
 * one local[2] session for the class, as Zeppelin shares them), with small values in the notes'
 * size forms, and checks that a broken note fails naming the note, the paragraph and the line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class NotebooksTest {
  /** The notes' form values for this test: sizes that keep the class to a few minutes. */
  private static final Map<String, String> SMALL =
      Map.of("steps", "200", "sequences", "64", "epochs", "1");

  private SparkSession spark;
  private NoteRunner runner;

  @BeforeAll
  void startInterpreter() throws IOException {
    long start = System.nanoTime();
    Path classes = Files.createTempDirectory("repl-classes");
    // Kryo as README's Zeppelin section sets it. Not registrationRequired: classes a note defines
    // are in no registrator.
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
    runner = new NoteRunner(spark, classpath, classes, SMALL);
    System.out.printf(
        "Spark session and interpreter ready in %.1f s%n", (System.nanoTime() - start) / 1e9);
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

  /**
   * Runs the note and returns all it printed; the paragraphs' outputs also go to {@code
   * target/notebook-output/NAME.txt} for a reader to look at.
   */
  private String run(String name) throws IOException {
    List<NoteRunner.ParagraphOutput> outputs =
        runner.run(Path.of(System.getProperty("rewind.notes.dir", "."), name));
    StringBuilder all = new StringBuilder();
    for (NoteRunner.ParagraphOutput o : outputs) {
      System.out.printf(
          "%s paragraph %d \"%s\": %.1f s%n", name, o.paragraph(), o.title(), o.seconds());
      all.append("=== paragraph ").append(o.paragraph()).append(" \"").append(o.title());
      all.append("\" ===\n").append(o.output());
    }
    Path dir = Files.createDirectories(Path.of("target", "notebook-output"));
    Files.writeString(dir.resolve(name.replace(".zpln", ".txt")), all);
    return all.toString();
  }

  @Test
  void quickstartRuns() throws IOException {
    String output = run("quickstart.zpln");
    assertTrue(output.contains("%table globalStep\tloss\taccuracy\tepoch\n"), output);
    assertTrue(output.contains("%html <p>Held-out accuracy: <b>"), output);
  }

  @Test
  void schedulesRuns() throws IOException {
    String output = run("schedules.zpln");
    assertTrue(
        output.contains(
            "%table schedule\tplan\tfit_seconds\tpeak_mib_per_sequence\trecomputation\toff_chip_mib"),
        output);
    assertTrue(output.contains("%table schedule\tfit_seconds\tpeak_mib_per_sequence\n"), output);
    // Every schedule computes the store-all gradient bit for bit, so the three fits agree.
    assertEquals(
        3,
        output.split("largest parameter difference to store-all: 0.00\n", -1).length - 1,
        output);
  }

  @Test
  void pipelineRuns() throws IOException {
    String output = run("pipeline.zpln");
    assertTrue(output.contains("SQLTransformer -> SpikingSequenceClassificationModel"), output);
    assertTrue(output.contains("; 0 differ from the model before saving"), output);
    assertTrue(output.contains("%table prediction\tcount\n"), output);
  }

  @Test
  void perStepRuns() throws IOException {
    String output = run("per-step.zpln");
    assertTrue(output.contains("%table label\tlength\tlabelled_steps\n"), output);
    assertTrue(output.contains("%html <p>Held-out accuracy over the labelled steps: <b>"), output);
    assertTrue(output.contains("%table step\taccuracy\tsequences\n"), output);
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
  void aSyntaxErrorNamesTheNoteParagraphAndLine() throws Exception {
    ParagraphFailedException e =
        assertThrows(ParagraphFailedException.class, () -> runner.run(broken("parse-error.zpln")));
    System.out.println(e.getMessage());
    assertTrue(
        e.getMessage()
            .startsWith("note parse-error.zpln, paragraph 1 \"A syntax error\", line 3: error: "),
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
