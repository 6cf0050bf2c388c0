package dev.rewind.notebooks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a note's {@code %spark} (Scala) paragraphs in order in one {@link ScalaInterpreter}, with
 * {@code spark}, {@code sc} and {@code z} bound and Zeppelin's default imports, the way Zeppelin's
 * Spark interpreter does; {@code %md} paragraphs are text and are skipped. Any other interpreter, a
 * compile error or an exception fails the run with a {@link ParagraphFailedException}. Notes run in
 * one runner share its definitions, as notes sharing Zeppelin's interpreter do.
 */
public final class NoteRunner implements AutoCloseable {
  private static final Set<String> SCALA = Set.of("spark", "spark.spark");
  private static final Set<String> TEXT = Set.of("md", "spark.md");
  private static final String DEFAULT_IMPORTS =
      String.join(
          "\n",
          "import org.apache.spark.SparkContext._",
          "import spark.implicits._",
          "import spark.sql",
          "import org.apache.spark.sql.functions._");

  private final ScalaInterpreter interpreter;

  /**
   * @param spark a session whose {@code spark.repl.class.outputDir} is {@code classOutputDir}
   * @param classpath the interpreter's classpath: Spark, Rewind and their dependencies
   * @param formValues values the notes' {@code z.textbox} forms return instead of their defaults
   */
  public NoteRunner(
      SparkSession spark, String classpath, Path classOutputDir, Map<String, String> formValues) {
    String served = spark.conf().get("spark.repl.class.outputDir", "");
    if (!Path.of(served).toAbsolutePath().equals(classOutputDir.toAbsolutePath())) {
      throw new IllegalStateException(
          "spark.repl.class.outputDir: expected "
              + classOutputDir.toAbsolutePath()
              + " (set before the SparkContext starts), got '"
              + served
              + "'");
    }
    interpreter = new ScalaInterpreter(classpath, classOutputDir);
    interpreter.bind("spark", SparkSession.class.getName(), spark);
    interpreter.bind("sc", org.apache.spark.SparkContext.class.getName(), spark.sparkContext());
    interpreter.bind(
        "z", MinimalZeppelinContext.class.getName(), new MinimalZeppelinContext(1000, formValues));
    ScalaInterpreter.Outcome imports = interpreter.run(DEFAULT_IMPORTS);
    if (imports.status() != ScalaInterpreter.Status.SUCCESS) {
      throw new IllegalStateException("Zeppelin's default imports failed: " + imports.output());
    }
  }

  /** What one paragraph printed and how long it took to compile and run. */
  public record ParagraphOutput(int paragraph, String title, String output, double seconds) {}

  /** Runs every {@code %spark} paragraph of {@code noteFile} in order; returns their outputs. */
  public List<ParagraphOutput> run(Path noteFile) throws IOException {
    ZeppelinNote note = ZeppelinNote.read(noteFile);
    String file = noteFile.getFileName().toString();
    List<ParagraphOutput> outputs = new ArrayList<>();
    for (int i = 0; i < note.paragraphs().size(); i++) {
      ZeppelinNote.Paragraph p = note.paragraphs().get(i);
      String interpreterName = p.interpreter(note.defaultInterpreterGroup());
      if (TEXT.contains(interpreterName)) {
        continue;
      }
      if (!SCALA.contains(interpreterName)) {
        throw new ParagraphFailedException(
            file,
            i + 1,
            p.label(),
            1,
            "interpreter %" + interpreterName + ": expected %spark or %md",
            "",
            null);
      }
      long start = System.nanoTime();
      ScalaInterpreter.Outcome outcome = interpreter.run(p.code());
      double seconds = (System.nanoTime() - start) / 1e9;
      if (outcome.status() != ScalaInterpreter.Status.SUCCESS) {
        int line = outcome.line() > 0 ? p.codeFirstLine() + outcome.line() - 1 : 0;
        throw new ParagraphFailedException(
            file, i + 1, p.label(), line, outcome.error(), outcome.output(), outcome.exception());
      }
      outputs.add(new ParagraphOutput(i + 1, p.label(), outcome.output(), seconds));
    }
    return outputs;
  }

  @Override
  public void close() {
    interpreter.close();
  }
}
