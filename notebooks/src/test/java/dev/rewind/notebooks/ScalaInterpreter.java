package dev.rewind.notebooks;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import scala.Console$;
import scala.collection.JavaConverters;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.Results;

/**
 * A Scala 2.12 interpreter set up the way Zeppelin's Spark interpreter sets up its own: class-based
 * wrappers compiled into {@code classOutputDir}, which Spark serves to its executors when {@code
 * spark.repl.class.outputDir} names the same directory, so closures written in a note run in Spark
 * tasks. Runs one snippet at a time and says how it ended; lines it reports are snippet lines
 * (1-based), mapped back from the generated wrapper. Not thread-safe.
 */
final class ScalaInterpreter implements AutoCloseable {
  private static final Pattern CONSOLE_ERROR = Pattern.compile("<console>:(\\d+): error: (.*)");
  private static final Pattern LINE_CLASS = Pattern.compile("^\\$line(\\d+)\\.\\$read.*");
  private static final String PROBE = "\"rewind-line-probe\"";

  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final PrintStream console = new PrintStream(buffer, true, StandardCharsets.UTF_8);
  private final IMain imain;
  private Object lastException;

  /** How a snippet ended: compiled and ran, failed to compile, or threw. */
  enum Status {
    SUCCESS,
    COMPILE_ERROR,
    RUNTIME_ERROR,
    INCOMPLETE
  }

  /**
   * @param output what the snippet printed, compiler messages included
   * @param line the snippet line the error points at (1-based), 0 when unknown or no error
   * @param error the compiler's first error message, or the exception's, empty on success
   * @param exception what the snippet threw, null unless {@link Status#RUNTIME_ERROR}
   */
  record Outcome(Status status, String output, int line, String error, Throwable exception) {}

  ScalaInterpreter(String classpath, Path classOutputDir) {
    Settings settings = new Settings();
    List<String> args =
        List.of(
            "-classpath",
            classpath,
            "-Yrepl-class-based",
            "-Yrepl-outdir",
            classOutputDir.toAbsolutePath().toString());
    settings.processArguments(JavaConverters.asScalaBuffer(args).toList(), true);
    imain =
        new IMain(
            settings,
            new PrintWriter(new OutputStreamWriter(console, StandardCharsets.UTF_8), true));
    imain.initializeSynchronous();
  }

  /** Binds {@code value} to {@code name} as {@code @transient val name: type}, as Zeppelin does. */
  void bind(String name, String type, Object value) {
    List<String> modifiers = List.of("@transient");
    Results.Result result =
        imain.bind(name, type, value, JavaConverters.asScalaBuffer(modifiers).toList());
    if (result != Results.Success$.MODULE$) {
      throw new IllegalStateException("binding " + name + ": " + type + " failed: " + takeOutput());
    }
    takeOutput();
  }

  /** Runs {@code code}; its standard output and the compiler's messages land in the outcome. */
  Outcome run(String code) {
    takeOutput();
    Results.Result result = Console$.MODULE$.withOut(console, () -> imain.interpret(code));
    String output = takeOutput();
    if (result == Results.Success$.MODULE$) {
      return new Outcome(Status.SUCCESS, output, 0, "", null);
    }
    if (result == Results.Incomplete$.MODULE$) {
      return new Outcome(
          Status.INCOMPLETE, output, lineCount(code), "incomplete input at the end", null);
    }
    Object thrown = imain.valueOfTerm("lastException").getOrElse(() -> null);
    if (thrown instanceof Throwable t && thrown != lastException) {
      lastException = thrown;
      return new Outcome(Status.RUNTIME_ERROR, output, runtimeLine(t, code), t.toString(), t);
    }
    Matcher m = CONSOLE_ERROR.matcher(output);
    if (!m.find()) {
      return new Outcome(Status.COMPILE_ERROR, output, 0, output.strip(), null);
    }
    int line = snippetLine(Integer.parseInt(m.group(1)), code);
    return new Outcome(Status.COMPILE_ERROR, output, line, "error: " + m.group(2), null);
  }

  /**
   * The line in {@code code} of the innermost frame of the newest snippet's wrapper in the trace:
   * frames of older snippets are helpers it called, outer wrapper frames are constructors around
   * it.
   */
  private int runtimeLine(Throwable t, String code) {
    int newest = -1;
    int wrapped = 0;
    for (StackTraceElement frame : t.getStackTrace()) {
      Matcher m = LINE_CLASS.matcher(frame.getClassName());
      if (m.matches() && "<console>".equals(frame.getFileName())) {
        int id = Integer.parseInt(m.group(1));
        if (id > newest && frame.getLineNumber() > 0) {
          newest = id;
          wrapped = frame.getLineNumber();
        }
      }
    }
    return wrapped > 0 ? snippetLine(wrapped, code) : 0;
  }

  /**
   * Maps a line of the generated wrapper back to {@code code}: compiles the code again behind a
   * first line that cannot type-check (so nothing runs) and reads where that line landed. Errors
   * the parser reports come before wrapping and already count snippet lines.
   */
  private int snippetLine(int wrappedLine, String code) {
    takeOutput();
    Console$.MODULE$.withOut(console, () -> imain.interpret("(" + PROBE + ": Int)\n" + code));
    String probe = takeOutput();
    Matcher m = CONSOLE_ERROR.matcher(probe);
    int offset = 0;
    while (m.find()) {
      int end = probe.indexOf("<console>:", m.end());
      String block = probe.substring(m.start(), end < 0 ? probe.length() : end);
      if (block.contains(PROBE)) {
        offset = Integer.parseInt(m.group(1)) - 1;
        break;
      }
    }
    return Math.max(1, Math.min(lineCount(code), wrappedLine - offset));
  }

  private static int lineCount(String code) {
    return (int) code.lines().count();
  }

  private String takeOutput() {
    console.flush();
    String text = buffer.toString(StandardCharsets.UTF_8);
    buffer.reset();
    return text;
  }

  @Override
  public void close() {
    imain.close();
  }
}
